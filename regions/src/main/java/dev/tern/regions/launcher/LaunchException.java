package dev.tern.regions.launcher;

/** A component failed to start or get ready; the message names it and its log. */
public final class LaunchException extends Exception {

  public LaunchException(String message) {
    super(message);
  }

  public LaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.tern.xmpp.xml;

import static java.util.Objects.requireNonNull;

/**
 * A reason to close the stream with a stream error (RFC 6120 §4.9), raised by the decoders
 * through {@code exceptionCaught}. Carries no stack trace: it describes the peer's input, not a
 * fault in Tern.
 */
public final class StreamErrorException extends Exception {

  private static final long serialVersionUID = 1L;

  private final StreamErrorCondition condition;
  private final String text;

  /**
   * @param text a human-readable description for the {@code <text/>} child, {@code ""} if none
   */
  public StreamErrorException(StreamErrorCondition condition, String text) {
    super(requireNonNull(condition, "condition").elementName()
        + (requireNonNull(text, "text").isEmpty() ? "" : ": " + text), null, false, false);
    this.condition = condition;
    this.text = text;
  }

  public StreamErrorCondition condition() {
    return condition;
  }

  public String text() {
    return text;
  }

  /** The {@code <stream:error/>} to send before closing the stream. */
  public XmlElement toElement() {
    return condition.toElement(text);
  }
}

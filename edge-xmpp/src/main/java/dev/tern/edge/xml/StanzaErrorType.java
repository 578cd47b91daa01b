package dev.tern.edge.xml;

import java.util.Locale;

/** The stanza error types of RFC 6120 §8.3.2. */
public enum StanzaErrorType {
  AUTH, CANCEL, CONTINUE, MODIFY, WAIT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

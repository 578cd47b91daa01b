package dev.tern.xmpp.xml;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;

/** The 'type' of a stanza error: what the sender may do about it (RFC 6120 §8.3.2). */
public enum StanzaErrorType {
  /** Retry after providing credentials. */
  AUTH,
  /** Do not retry. */
  CANCEL,
  /** Proceed; the condition was only a warning. */
  CONTINUE,
  /** Retry after changing the data sent. */
  MODIFY,
  /** Retry after waiting. */
  WAIT;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The attribute value, e.g. {@code "cancel"}. */
  public String wireName() {
    return wireName;
  }

  public static Optional<StanzaErrorType> fromWireName(String wireName) {
    requireNonNull(wireName, "wireName");
    for (StanzaErrorType type : values()) {
      if (type.wireName.equals(wireName)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}

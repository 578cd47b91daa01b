package dev.tern.storage.roster;

import java.util.Locale;

/**
 * The {@code subscription} attribute of a roster item (RFC 6121 §2.1.2.5): whether the user
 * receives the contact's presence ({@link #TO}), the contact the user's ({@link #FROM}), both,
 * or neither.
 */
public enum Subscription {
  NONE, TO, FROM, BOTH;

  /** The attribute's value: {@code none}, {@code to}, {@code from} or {@code both}. */
  public String attribute() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads an attribute value written by {@link #attribute()}. */
  public static Subscription of(String attribute) {
    return valueOf(attribute.toUpperCase(Locale.ROOT));
  }

  /** The user receives the contact's presence. */
  public boolean hasTo() {
    return this == TO || this == BOTH;
  }

  /** The contact receives the user's presence. */
  public boolean hasFrom() {
    return this == FROM || this == BOTH;
  }

  public Subscription withTo() {
    return hasFrom() ? BOTH : TO;
  }

  public Subscription withoutTo() {
    return hasFrom() ? FROM : NONE;
  }

  public Subscription withFrom() {
    return hasTo() ? BOTH : FROM;
  }

  public Subscription withoutFrom() {
    return hasTo() ? TO : NONE;
  }
}

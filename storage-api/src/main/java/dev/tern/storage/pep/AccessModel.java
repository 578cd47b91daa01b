package dev.tern.storage.pep;

import java.util.Locale;
import java.util.Optional;

/**
 * Who may read a PEP node's items (XEP-0060 §4.5, {@code pubsub#access_model}). PEP offers three
 * of XEP-0060's models.
 */
public enum AccessModel {
  /** Contacts with a presence subscription to the owner ({@code from} or {@code both} in the
   * owner's roster), and the owner: XEP-0163 §4.1's default. */
  PRESENCE,
  /** Anyone. */
  OPEN,
  /** Only the JIDs on the node's whitelist; PEP keeps no list, so only the owner. */
  WHITELIST;

  /** The name in a data form, e.g. {@code presence}. */
  public String formValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The model a data form names, if PEP offers it. */
  public static Optional<AccessModel> fromFormValue(String value) {
    for (AccessModel m : values()) {
      if (m.formValue().equals(value)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}

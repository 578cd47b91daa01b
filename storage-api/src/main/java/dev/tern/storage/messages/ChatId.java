package dev.tern.storage.messages;

import static java.util.Objects.requireNonNull;

/**
 * A conversation's key: every message of one chat shares one sequence and one partition.
 *
 * @param value the key as stored; for a 1:1 chat see {@link #direct(String, String)}
 */
public record ChatId(String value) {

  /** Separates the two addresses of a direct chat; RFC 7622 §3 keeps it out of a bare JID. */
  static final char SEPARATOR = '/';

  public ChatId {
    requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("value: must not be empty");
    }
  }

  /**
   * The chat between two bare JIDs, the same whichever of them is named first: the two
   * addresses in ascending order joined by {@code '/'}, which cannot occur in a bare JID (it
   * starts the resourcepart, RFC 7622 §3.1). The JIDs must already be in their canonical
   * (PRECIS-prepared) form, because the key compares them character by character. A chat with
   * oneself is allowed.
   */
  public static ChatId direct(String bareJidA, String bareJidB) {
    checkBare(requireNonNull(bareJidA, "bareJidA"), "bareJidA");
    checkBare(requireNonNull(bareJidB, "bareJidB"), "bareJidB");
    boolean ordered = bareJidA.compareTo(bareJidB) <= 0;
    String first = ordered ? bareJidA : bareJidB;
    String second = ordered ? bareJidB : bareJidA;
    return new ChatId(first + SEPARATOR + second);
  }

  private static void checkBare(String jid, String name) {
    if (jid.isEmpty()) {
      throw new IllegalArgumentException(name + ": must not be empty");
    }
    if (jid.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException(name + ": not a bare JID: " + jid);
    }
  }
}

package dev.tern.xmpp.jid;

import static java.util.Objects.requireNonNull;

/**
 * An address that RFC 7622 does not allow; the message names the part and the reason. In a
 * stanza this is the {@code jid-malformed} error (RFC 6120 §8.3.3.8).
 */
public final class JidMalformedException extends Exception {

  /** The part of an address that is malformed (RFC 7622 §3.1). */
  public enum Part {
    LOCALPART("localpart"),
    DOMAINPART("domainpart"),
    RESOURCEPART("resourcepart");

    private final String label;

    Part(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** Longer input is cut in messages; parts may be up to 1023 bytes. */
  private static final int QUOTED_CHARS = 64;

  private final Part part;

  /**
   * @param part the malformed part
   * @param input the part as it was given, quoted in the message (shortened, control characters
   *     escaped)
   * @param reason why it is malformed, such as "is empty"
   */
  public JidMalformedException(Part part, String input, String reason) {
    super(requireNonNull(part, "part") + " " + quote(requireNonNull(input, "input")) + " "
        + requireNonNull(reason, "reason"));
    this.part = part;
  }

  /** Which part is malformed. */
  public Part part() {
    return part;
  }

  private static String quote(String input) {
    StringBuilder quoted = new StringBuilder("\"");
    int shown = 0;
    for (int i = 0; i < input.length(); ) {
      if (shown == QUOTED_CHARS) {
        quoted.append("…");
        break;
      }
      int c = input.codePointAt(i);
      if (Character.isISOControl(c)) {
        quoted.append(String.format("\\u%04X", c));
      } else {
        quoted.appendCodePoint(c);
      }
      i += Character.charCount(c);
      shown++;
    }
    return quoted.append('"').toString();
  }
}

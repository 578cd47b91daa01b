package dev.tern.edge.sasl;

import static java.util.Objects.requireNonNull;

import java.util.Base64;
import java.util.Optional;

/**
 * The base 64 of the XML character data of {@code <auth/>}, {@code <challenge/>},
 * {@code <response/>} and {@code <success/>} (RFC 6120 §6.4.2, RFC 4648 §4). The session layer
 * does this, not the {@link SaslServer}: it decodes what the client sent, answers
 * {@link SaslFailure#INCORRECT_ENCODING} when {@link #decode} finds nothing, and encodes what the
 * server sends.
 */
public final class SaslBase64 {

  private SaslBase64() {}

  /**
   * The bytes of {@code text}: empty for no text and for the single {@code =} that RFC 6120
   * §6.4.2 uses for zero-length data; nothing if the text is not padded RFC 4648 §4 base 64
   * (whitespace and line breaks are not allowed, as RFC 4648 §3.3 asks).
   */
  public static Optional<byte[]> decode(CharSequence text) {
    requireNonNull(text, "text");
    int n = text.length();
    if (n == 0 || (n == 1 && text.charAt(0) == '=')) {
      return Optional.of(new byte[0]);
    }
    if (n % 4 != 0) {
      return Optional.empty();
    }
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9') || c == '+' || c == '/';
      boolean padding = c == '=' && i >= n - 2 && (i == n - 1 || text.charAt(n - 1) == '=');
      if (!alphabet && !padding) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(Base64.getDecoder().decode(text.toString()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The character data for {@code data}: {@code =} when it is empty (RFC 6120 §6.4.2). */
  public static String encode(byte[] data) {
    requireNonNull(data, "data");
    return data.length == 0 ? "=" : Base64.getEncoder().encodeToString(data);
  }
}

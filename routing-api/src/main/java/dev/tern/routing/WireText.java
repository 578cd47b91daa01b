package dev.tern.routing;

import io.nats.client.impl.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Header values on NATS are printable ASCII (jnats refuses anything else), but JIDs are Unicode
 * (RFC 7622: {@code josé@localhost}, {@code 日本@localhost/電話}), and so are node names and
 * texts. Every Tern header value goes through {@link #encode} and comes back through {@link
 * #decode}: a character outside printable ASCII, and {@code %} itself, is written as the
 * {@code %XX} of its UTF-8 bytes (RFC 3986's percent-encoding); anything else is left as it is, so
 * an ASCII JID reads the same on the wire.
 */
public final class WireText {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private WireText() {}

  /** {@code value} as a header value; null stays null. */
  public static @Nullable String encode(@Nullable String value) {
    if (value == null || plain(value)) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != '%' || c == ' ') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /** The first value of header {@code name}, decoded; null if there is none. */
  public static @Nullable String header(@Nullable Headers headers, String name) {
    return headers == null ? null : decode(headers.getFirst(name));
  }

  /** The text {@link #encode} wrote; null stays null, and a malformed escape is kept as it is. */
  public static @Nullable String decode(@Nullable String value) {
    if (value == null || value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      int hi = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
      int lo = i + 2 < value.length() ? Character.digit(value.charAt(i + 2), 16) : -1;
      if (c == '%' && hi >= 0 && lo >= 0) {
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean plain(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '%') {
        return false;
      }
    }
    return true;
  }
}

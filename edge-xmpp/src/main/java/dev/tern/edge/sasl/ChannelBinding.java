package dev.tern.edge.sasl;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The channel-binding data of the TLS connection a stream runs over (RFC 5056), as the TLS layer
 * computed it: {@code tls-exporter} (RFC 9266: 32 bytes exported with the label
 * {@code EXPORTER-Channel-Binding} and an empty context) or {@code tls-server-end-point}
 * (RFC 5929 §4: the hash of the server certificate).
 *
 * @param type the channel-binding unique prefix registered with IANA
 * @param data the binding data, never empty
 */
public record ChannelBinding(String type, byte[] data) {

  /** RFC 9266; defined for TLS 1.3 (and TLS 1.2 with extended master secret). */
  public static final String TLS_EXPORTER = "tls-exporter";

  /** RFC 5929 §4. */
  public static final String TLS_SERVER_END_POINT = "tls-server-end-point";

  // RFC 5802 §7: cb-name = 1*(ALPHA / DIGIT / "." / "-")
  static final Pattern CB_NAME = Pattern.compile("[A-Za-z0-9.-]+");

  public ChannelBinding {
    requireNonNull(type, "type");
    data = requireNonNull(data, "data").clone();
    if (!CB_NAME.matcher(type).matches()) {
      throw new IllegalArgumentException("not a channel-binding type name: " + type);
    }
    if (data.length == 0) {
      throw new IllegalArgumentException("channel-binding data of " + type + " is empty");
    }
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ChannelBinding b && type.equals(b.type) && Arrays.equals(data, b.data);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ChannelBinding[" + type + ", " + data.length + " bytes]";
  }
}

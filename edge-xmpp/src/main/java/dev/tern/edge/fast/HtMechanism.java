package dev.tern.edge.fast;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Hashed Token mechanisms Tern runs (draft-schmaus-kitten-sasl-ht-08), all with
 * HMAC-SHA-256: {@code HT-SHA-256-} followed by the channel binding the HMAC covers.
 */
public enum HtMechanism {
  /** No channel binding: the HMAC covers only the label. */
  NONE("NONE", null),
  /** {@code tls-unique} (RFC 5929 §3), defined for TLS 1.2 and earlier only. */
  UNIQ("UNIQ", "tls-unique"),
  /** {@code tls-server-end-point} (RFC 5929 §4): the hash of the server certificate. */
  ENDP("ENDP", "tls-server-end-point"),
  /** {@code tls-exporter} (RFC 9266). */
  EXPR("EXPR", "tls-exporter");

  private static final String PREFIX = "HT-SHA-256-";

  private final String mechanismName;
  private final @Nullable String channelBindingType;

  HtMechanism(String suffix, @Nullable String channelBindingType) {
    this.mechanismName = PREFIX + suffix;
    this.channelBindingType = channelBindingType;
  }

  /** The SASL mechanism name, e.g. {@code HT-SHA-256-EXPR}. */
  public String mechanismName() {
    return mechanismName;
  }

  /** The channel-binding type whose data the HMAC covers; none for {@link #NONE}. */
  public Optional<String> channelBindingType() {
    return Optional.ofNullable(channelBindingType);
  }

  /** The mechanism called {@code name}, if Tern has it. */
  public static Optional<HtMechanism> forName(String name) {
    requireNonNull(name, "name");
    for (HtMechanism m : values()) {
      if (m.mechanismName.equals(name)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** The mechanism binding the channel with {@code type}, if there is one. */
  static Optional<HtMechanism> forChannelBinding(String type) {
    for (HtMechanism m : values()) {
      if (type.equals(m.channelBindingType)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}

package dev.tern.edge.sasl;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** The hash functions SCRAM is used with here: RFC 5802 (SHA-1) and RFC 7677 (SHA-256). */
public enum ScramHash {
  SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1", 20),
  SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", 32);

  /**
   * Iteration count of Hi() for new credentials of either hash. RFC 5802 §5.1 and RFC 7677 §4
   * ask for at least 4096. Both credentials of an account come from the same password, so a
   * stolen table is only as hard to attack as its cheaper one: both use the same count. 10 000
   * costs a few milliseconds per PLAIN login or registration and is paid again for an unknown
   * user (see {@link SaslMechanisms}), which bounds what a login flood can cost.
   */
  public static final int DEFAULT_ITERATIONS = 10_000;

  private final String mechanismName;
  private final String digestAlgorithm;
  private final String macAlgorithm;
  private final int length;

  ScramHash(String mechanismName, String digestAlgorithm, String macAlgorithm, int length) {
    this.mechanismName = mechanismName;
    this.digestAlgorithm = digestAlgorithm;
    this.macAlgorithm = macAlgorithm;
    this.length = length;
  }

  /** {@code SCRAM-SHA-1} or {@code SCRAM-SHA-256}. */
  public String mechanismName() {
    return mechanismName;
  }

  /** The channel-binding variant, {@code SCRAM-SHA-1-PLUS} or {@code SCRAM-SHA-256-PLUS}. */
  public String plusMechanismName() {
    return mechanismName + "-PLUS";
  }

  /** JCA name of H(), for {@link java.security.MessageDigest}. */
  public String digestAlgorithm() {
    return digestAlgorithm;
  }

  /** JCA name of HMAC(), for {@link javax.crypto.Mac}. */
  public String macAlgorithm() {
    return macAlgorithm;
  }

  /** Output length of H() in bytes: the length of StoredKey, ServerKey and ClientProof. */
  public int length() {
    return length;
  }

  /** The iteration count new credentials get, {@link #DEFAULT_ITERATIONS}. */
  public int defaultIterations() {
    return DEFAULT_ITERATIONS;
  }

  /** The hash of a mechanism name, with or without {@code -PLUS}. */
  public static Optional<ScramHash> forMechanism(String mechanism) {
    requireNonNull(mechanism, "mechanism");
    for (ScramHash h : values()) {
      if (h.mechanismName.equals(mechanism) || h.plusMechanismName().equals(mechanism)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }
}

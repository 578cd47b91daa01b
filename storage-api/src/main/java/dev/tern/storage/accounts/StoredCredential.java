package dev.tern.storage.accounts;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the server keeps of a password for one SCRAM mechanism (RFC 5802 §3, §5): enough to
 * verify a client proof and to prove itself to the client, not enough to log in as the user
 * without an offline attack on the salted password.
 *
 * <p>The arrays are copied in and out, so an instance is immutable; {@link #equals} compares
 * contents and {@link #toString} shows neither the salt nor the keys.
 *
 * @param mechanism the SASL mechanism the keys belong to, {@code SCRAM-SHA-1} or
 *     {@code SCRAM-SHA-256}
 * @param salt the salt of Hi(), at least one byte
 * @param iterations the iteration count of Hi(), at least 1
 * @param storedKey H(ClientKey)
 * @param serverKey HMAC(SaltedPassword, "Server Key")
 */
public record StoredCredential(
    String mechanism, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

  public StoredCredential {
    requireNonNull(mechanism, "mechanism");
    salt = requireNonNull(salt, "salt").clone();
    storedKey = requireNonNull(storedKey, "storedKey").clone();
    serverKey = requireNonNull(serverKey, "serverKey").clone();
    if (!mechanism.startsWith("SCRAM-") || mechanism.endsWith("-PLUS")) {
      throw new IllegalArgumentException("not a SCRAM mechanism without channel binding: "
          + mechanism);
    }
    if (salt.length == 0) {
      throw new IllegalArgumentException("salt: must not be empty");
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations: must be at least 1, was " + iterations);
    }
    if (storedKey.length == 0 || serverKey.length == 0) {
      throw new IllegalArgumentException("storedKey and serverKey: must not be empty");
    }
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] storedKey() {
    return storedKey.clone();
  }

  @Override
  public byte[] serverKey() {
    return serverKey.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof StoredCredential c
        && mechanism.equals(c.mechanism)
        && iterations == c.iterations
        && Arrays.equals(salt, c.salt)
        && Arrays.equals(storedKey, c.storedKey)
        && Arrays.equals(serverKey, c.serverKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mechanism, iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey),
        Arrays.hashCode(serverKey));
  }

  @Override
  public String toString() {
    return "StoredCredential[" + mechanism + ", " + iterations + " iterations]";
  }
}

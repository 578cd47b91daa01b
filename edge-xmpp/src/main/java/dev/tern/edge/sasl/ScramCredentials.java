package dev.tern.edge.sasl;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.accounts.StoredCredential;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * Turns a password into what the server stores of it (RFC 5802 §3): SaltedPassword =
 * Hi(Normalize(password), salt, i), StoredKey = H(HMAC(SaltedPassword, "Client Key")),
 * ServerKey = HMAC(SaltedPassword, "Server Key").
 *
 * <p>Normalize is the PRECIS OpaqueString profile (RFC 8265 §4.2), which XMPP uses in place of
 * SASLprep (RFC 6120 §6.3.8 as updated by RFC 7622); for the ASCII passwords of the RFC examples
 * both give the same result.
 */
public final class ScramCredentials {

  /** Length of a new random salt in bytes (RFC 5802 leaves it open; 128 bits). */
  public static final int SALT_LENGTH = 16;

  private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

  private ScramCredentials() {}

  /**
   * The credential of {@code password} for {@code hash} with the given salt and iteration count.
   *
   * @throws IllegalArgumentException if the password is empty or not a PRECIS OpaqueString
   */
  public static StoredCredential derive(
      ScramHash hash, char[] password, byte[] salt, int iterations) {
    requireNonNull(hash, "hash");
    requireNonNull(password, "password");
    requireNonNull(salt, "salt");
    byte[] normalized = normalize(password);
    try {
      return fromNormalized(hash, normalized, salt, iterations);
    } finally {
      Arrays.fill(normalized, (byte) 0);
    }
  }

  /**
   * Credentials of {@code password} for SCRAM-SHA-1 and SCRAM-SHA-256, each with its own random
   * salt of {@link #SALT_LENGTH} bytes and {@link ScramHash#defaultIterations()}, keyed by
   * mechanism name as {@link dev.tern.storage.accounts.Account} wants them.
   *
   * @throws IllegalArgumentException if the password is empty or not a PRECIS OpaqueString
   */
  public static Map<String, StoredCredential> forPassword(char[] password, SecureRandom random) {
    requireNonNull(password, "password");
    requireNonNull(random, "random");
    byte[] normalized = normalize(password);
    try {
      Map<String, StoredCredential> out = new LinkedHashMap<>();
      for (ScramHash hash : ScramHash.values()) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        out.put(hash.mechanismName(),
            fromNormalized(hash, normalized, salt, hash.defaultIterations()));
      }
      return Map.copyOf(out);
    } finally {
      Arrays.fill(normalized, (byte) 0);
    }
  }

  /**
   * UTF-8 of the PRECIS OpaqueString form of {@code password}.
   *
   * @throws IllegalArgumentException if the password is empty or has a disallowed code point
   */
  static byte[] normalize(char[] password) {
    String enforced;
    try {
      enforced = PrecisProfiles.OPAQUE_STRING.enforce(CharBuffer.wrap(password));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the password is not a PRECIS OpaqueString", e);
    }
    return enforced.getBytes(StandardCharsets.UTF_8);
  }

  static StoredCredential fromNormalized(
      ScramHash hash, byte[] normalizedPassword, byte[] salt, int iterations) {
    byte[] salted = hi(hash, normalizedPassword, salt, iterations);
    try {
      byte[] clientKey = hmac(hash, salted, CLIENT_KEY);
      byte[] storedKey = h(hash, clientKey);
      byte[] serverKey = hmac(hash, salted, SERVER_KEY);
      Arrays.fill(clientKey, (byte) 0);
      return new StoredCredential(hash.mechanismName(), salt, iterations, storedKey, serverKey);
    } finally {
      Arrays.fill(salted, (byte) 0);
    }
  }

  /** RFC 5802 §2.2 Hi(): PBKDF2 with HMAC() as PRF and one block of output. */
  static byte[] hi(ScramHash hash, byte[] password, byte[] salt, int iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations: must be at least 1, was " + iterations);
    }
    if (password.length == 0) {
      throw new IllegalArgumentException("the password is empty");
    }
    Mac mac = mac(hash, password);
    mac.update(salt);
    byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
    byte[] result = u.clone();
    for (int i = 1; i < iterations; i++) {
      u = mac.doFinal(u);
      for (int j = 0; j < result.length; j++) {
        result[j] ^= u[j];
      }
    }
    return result;
  }

  static byte[] hmac(ScramHash hash, byte[] key, byte[] data) {
    return mac(hash, key).doFinal(data);
  }

  static byte[] h(ScramHash hash, byte[] data) {
    try {
      return MessageDigest.getInstance(hash.digestAlgorithm()).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + hash.digestAlgorithm(), e);
    }
  }

  static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  private static Mac mac(ScramHash hash, byte[] key) {
    try {
      Mac mac = Mac.getInstance(hash.macAlgorithm());
      mac.init(new SecretKeySpec(key, hash.macAlgorithm()));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + hash.macAlgorithm(), e);
    }
  }
}

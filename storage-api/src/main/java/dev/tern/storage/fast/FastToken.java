package dev.tern.storage.fast;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A FAST token (XEP-0484 §3.3) the server issued to one device of one user, usable with one
 * mechanism only (XEP-0484 §3.4: tokens are bound to the mechanism they were requested for).
 *
 * <p>The secret is kept as it is, not hashed: the HT-* mechanisms (draft-schmaus-kitten-sasl-ht)
 * prove possession of the token with an HMAC keyed by the token, so the server needs the token
 * itself to compute the same HMAC. A store of these tokens is as sensitive as a store of
 * passwords would be, though a token only ever opens one account from one device, until it
 * expires or is invalidated. {@link #toString} never shows the secret.
 *
 * <p>The array is copied in and out, so an instance is immutable; {@link #equals} compares
 * contents.
 *
 * @param username the PRECIS UsernameCaseMapped localpart of the account
 * @param deviceId the {@code id} of the SASL2 {@code <user-agent/>} (XEP-0388) the token was
 *     issued to, as the session passes it on
 * @param mechanism the HT mechanism the token may be used with, e.g. {@code HT-SHA-256-NONE}
 * @param secret the HMAC key, exactly as the client uses it: the UTF-8 bytes of the text of the
 *     {@code token} attribute the client received
 * @param expires when the token stops being accepted; kept to the millisecond, as Cassandra's
 *     {@code timestamp} does, so that every store gives back what it was given
 */
public record FastToken(
    String username, String deviceId, String mechanism, byte[] secret, Instant expires) {

  /** Longest secret a store accepts; issued tokens are far shorter. */
  public static final int MAX_SECRET_LENGTH = 1024;

  public FastToken {
    requireNonNull(username, "username");
    requireNonNull(deviceId, "deviceId");
    requireNonNull(mechanism, "mechanism");
    secret = requireNonNull(secret, "secret").clone();
    expires = requireNonNull(expires, "expires").truncatedTo(ChronoUnit.MILLIS);
    if (username.isEmpty() || deviceId.isEmpty() || mechanism.isEmpty()) {
      throw new IllegalArgumentException("username, deviceId and mechanism: must not be empty");
    }
    if (secret.length == 0 || secret.length > MAX_SECRET_LENGTH) {
      throw new IllegalArgumentException(
          "secret: 1 to " + MAX_SECRET_LENGTH + " bytes, got " + secret.length);
    }
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  /** Whether the token is no longer accepted at {@code now}. */
  public boolean hasExpired(Instant now) {
    return !now.isBefore(expires);
  }

  /** Whether this token has the secret {@code other}; compares in constant time. */
  public boolean hasSecret(byte[] other) {
    return MessageDigest.isEqual(secret, requireNonNull(other, "other"));
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof FastToken t
        && username.equals(t.username)
        && deviceId.equals(t.deviceId)
        && mechanism.equals(t.mechanism)
        && Arrays.equals(secret, t.secret)
        && expires.equals(t.expires);
  }

  @Override
  public int hashCode() {
    return Objects.hash(username, deviceId, mechanism, Arrays.hashCode(secret), expires);
  }

  @Override
  public String toString() {
    return "FastToken[" + username + ", device " + deviceId + ", " + mechanism + ", expires "
        + expires + "]";
  }
}

package dev.tern.edge.bearer;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless short-lived bearer tokens: {@code base64url(username LF expiry LF HMAC-SHA-256)},
 * the expiry in epoch milliseconds, keyed with a secret every edge of every region shares, so any
 * edge verifies a token any other issued, without a lookup. They only open a session; they cannot
 * be refreshed or used twice to anything more than their lifetime allows. The edge that takes one
 * also reads the account: a removal or a password change after the token was issued revokes it.
 */
public final class BearerTokens {

  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final byte[] key;
  private final Duration lifetime;
  private final Clock clock;

  public BearerTokens(byte[] key, Duration lifetime, Clock clock) {
    if (requireNonNull(key, "key").length < 32) {
      throw new IllegalArgumentException("a bearer token key needs at least 32 bytes");
    }
    this.key = key.clone();
    this.lifetime = requireNonNull(lifetime, "lifetime");
    this.clock = requireNonNull(clock, "clock");
  }

  public static BearerTokens of(byte[] key) {
    return new BearerTokens(key, DEFAULT_LIFETIME, Clock.systemUTC());
  }

  /** A token for {@code username} and when it expires. */
  public record Issued(String token, Instant expires) {}

  /**
   * What a valid, unexpired token says: the user it was issued to and when (its expiry less the
   * lifetime, to the millisecond), so that credentials changed after it can revoke it.
   */
  public record Verified(String username, Instant issuedAt) {}

  public Issued issue(String username) {
    requireNonNull(username, "username");
    long expiry = clock.instant().plus(lifetime).toEpochMilli();
    String body = username + "\n" + expiry;
    String token = ENCODER.encodeToString((body + "\n")
        .getBytes(StandardCharsets.UTF_8)) + "." + ENCODER.encodeToString(mac(body));
    return new Issued(token, Instant.ofEpochMilli(expiry));
  }

  /** The user a valid, unexpired token was issued to. */
  public Optional<String> verify(String token) {
    return check(token).map(Verified::username);
  }

  /** The user a valid, unexpired token was issued to, and when it was issued. */
  public Optional<Verified> check(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    try {
      String body = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)),
          StandardCharsets.UTF_8);
      byte[] given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
      String[] parts = body.split("\n", -1);
      if (parts.length != 3 || !parts[2].isEmpty()) {
        return Optional.empty();
      }
      String signed = parts[0] + "\n" + parts[1];
      if (!MessageDigest.isEqual(mac(signed), given)) {
        return Optional.empty();
      }
      Instant expiry = Instant.ofEpochMilli(Long.parseLong(parts[1]));
      if (expiry.isBefore(clock.instant())) {
        return Optional.empty();
      }
      return Optional.of(new Verified(parts[0], expiry.minus(lifetime)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private byte[] mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}

package dev.tern.directory.presence;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * One bound resource of a user, as its edge registers it.
 *
 * @param bareJid the user, e.g. {@code alice@example.com}
 * @param resource the bound resource (RFC 6120 §7)
 * @param region the region of the edge holding the session
 * @param edgeId the edge process holding the session; the entry lives while that edge heartbeats
 * @param since when the resource was bound
 * @param token names this one session: a session that ends removes its entry only if no newer
 *     session of the same full JID (on any edge) has replaced it
 */
public record Registration(String bareJid, String resource, String region, String edgeId,
    Instant since, String token) {

  private static final SecureRandom RANDOM = new SecureRandom();

  public Registration {
    requireNonNull(bareJid, "bareJid");
    requireNonNull(resource, "resource");
    requireNonNull(region, "region");
    requireNonNull(edgeId, "edgeId");
    requireNonNull(since, "since");
    requireNonNull(token, "token");
    checkAddress(bareJid, resource);
    checkName("region", region);
    checkName("edgeId", edgeId);
    checkName("token", token);
  }

  /** A registration of a session just bound, with a fresh token. */
  public static Registration of(String bareJid, String resource, String region, String edgeId,
      Instant since) {
    return new Registration(bareJid, resource, region, edgeId, since, newToken());
  }

  /** 96 random bits, URL-safe. */
  public static String newToken() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** What a lookup shows of this registration. */
  public ConnectedResource connected() {
    return new ConnectedResource(resource, region, edgeId, since);
  }

  /** A bare JID and a resourcepart, each in its prepared form (RFC 7622), as the edge has them. */
  private static void checkAddress(String bareJid, String resource) {
    Jid jid;
    try {
      jid = Jid.parse(bareJid);
    } catch (JidMalformedException e) {
      throw new IllegalArgumentException("not a bare JID: " + e.getMessage(), e);
    }
    if (!jid.isBare() || !jid.toString().equals(bareJid)) {
      throw new IllegalArgumentException("not a prepared bare JID: " + bareJid);
    }
    // withResource throws IllegalArgumentException for a malformed resourcepart
    if (!jid.withResource(resource).resource().orElseThrow().equals(resource)) {
      throw new IllegalArgumentException("not a prepared resource: " + resource);
    }
  }

  /**
   * Region names, edge ids and tokens go into Redis keys and a {@code |}-separated value: letters,
   * digits, {@code . _ -} only, no braces (hash tags).
   */
  static void checkName(String what, String value) {
    if (!value.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new IllegalArgumentException(what + ": letters, digits, '.', '_' and '-' only: " + value);
    }
  }
}

package dev.tern.directory.sm;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * What a stream needs to be resumed (XEP-0198 §5), on this edge or on another one of the region.
 *
 * <p>Counters are XEP-0198 {@code h} values: unsigned 32-bit, wrapping from 2^32-1 to 0 (§4).
 *
 * @param id the SM-ID the client got in {@code <enabled id='…'/>} and sends back as {@code previd}
 * @param ownerBareJid the authenticated user; only this user may resume (XEP-0198 §5, §9)
 * @param fullJid the bound full JID, which a resumed stream takes over
 * @param lease names the one connection that holds the session and may write it; a new lease on
 *     every resumption fences off the connection it replaced (see {@link ResumptionStore})
 * @param inboundHandled the server's {@code h}: stanzas handled from the client
 * @param outboundAcked the client's last {@code h}: stanzas it acknowledged receiving
 * @param unacked stanzas sent after {@code outboundAcked}, oldest first, serialised with their own
 *     {@code xmlns} so that any transport can send them again
 * @param resumeWindow how long after the connection is lost the stream may still be resumed (the
 *     {@code max} of {@code <enabled/>}); the state expires then
 * @param carbons whether the session enabled message carbons (XEP-0280 §4), which a resumed
 *     session keeps
 * @param presence the session's last broadcast available presence, serialised, or empty while it
 *     has none: a resumed session is available again with it (RFC 6121 §4.2)
 */
public record ResumableSession(
    String id,
    String ownerBareJid,
    String fullJid,
    String lease,
    long inboundHandled,
    long outboundAcked,
    List<String> unacked,
    Duration resumeWindow,
    boolean carbons,
    String presence) {

  /** 2^32: {@code h} counts modulo this (XEP-0198 §4). */
  public static final long H_MODULUS = 1L << 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  public ResumableSession {
    requireNonNull(id, "id");
    requireNonNull(ownerBareJid, "ownerBareJid");
    requireNonNull(fullJid, "fullJid");
    requireNonNull(lease, "lease");
    unacked = List.copyOf(requireNonNull(unacked, "unacked"));
    requireNonNull(resumeWindow, "resumeWindow");
    requireNonNull(presence, "presence");
    checkId(id);
    if (ownerBareJid.isEmpty() || fullJid.isEmpty() || lease.isEmpty()) {
      throw new IllegalArgumentException("owner, full JID and lease must not be empty");
    }
    checkH(inboundHandled, "inboundHandled");
    checkH(outboundAcked, "outboundAcked");
    if (resumeWindow.isNegative() || resumeWindow.isZero()) {
      throw new IllegalArgumentException("resumeWindow must be positive");
    }
  }

  /** A session without carbons or presence. */
  public ResumableSession(String id, String ownerBareJid, String fullJid, String lease,
      long inboundHandled, long outboundAcked, List<String> unacked, Duration resumeWindow) {
    this(id, ownerBareJid, fullJid, lease, inboundHandled, outboundAcked, unacked, resumeWindow,
        false, "");
  }

  /** A session just enabled: nothing handled, nothing sent, held under a new lease. */
  public static ResumableSession enabled(String id, String ownerBareJid, String fullJid,
      Duration resumeWindow) {
    return new ResumableSession(id, ownerBareJid, fullJid, newLease(), 0, 0, List.of(),
        resumeWindow);
  }

  /** The client's {@code h} once it has all unacked stanzas: what the server has sent. */
  public long outboundSent() {
    return (outboundAcked + unacked.size()) % H_MODULUS;
  }

  /** The same state held by another connection. */
  public ResumableSession withLease(String newLease) {
    return new ResumableSession(id, ownerBareJid, fullJid, newLease, inboundHandled,
        outboundAcked, unacked, resumeWindow, carbons, presence);
  }

  /** The same state with the session's carbons and presence as given. */
  public ResumableSession withSessionState(boolean carbons, String presence) {
    return new ResumableSession(id, ownerBareJid, fullJid, lease, inboundHandled, outboundAcked,
        unacked, resumeWindow, carbons, presence);
  }

  /** A lease for a connection: 128 random bits, URL-safe. */
  public static String newLease() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * SM-IDs are stored under a Redis Cluster hash tag, so they must not contain braces; they are
   * short enough for a key and within XEP-0198 §5's 4000 bytes.
   */
  static void checkId(String id) {
    if (id.isEmpty() || id.length() > 256 || id.indexOf('{') >= 0 || id.indexOf('}') >= 0) {
      throw new IllegalArgumentException("not an SM-ID this server issues: " + id);
    }
  }

  static void checkH(long h, String name) {
    if (h < 0 || h >= H_MODULUS) {
      throw new IllegalArgumentException(name + " is not an unsigned 32-bit h: " + h);
    }
  }
}

package dev.tern.edge.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import rocks.xmpp.precis.PrecisProfiles;

/** Usernames and authzids as the mechanisms see them (RFC 6120 §6.3.8, RFC 7622 §3.3). */
final class SaslIdentity {

  /** RFC 7622 §3.3: a localpart is at most 1023 octets. */
  static final int MAX_LOCALPART_OCTETS = 1023;

  private SaslIdentity() {}

  /**
   * The PRECIS UsernameCaseMapped form of a simple user name as accounts are keyed by, or nothing
   * if it cannot be a localpart (then no account can have it).
   */
  static Optional<String> username(String name) {
    String enforced;
    try {
      enforced = PrecisProfiles.USERNAME_CASE_MAPPED.enforce(name);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (enforced.getBytes(StandardCharsets.UTF_8).length > MAX_LOCALPART_OCTETS) {
      return Optional.empty();
    }
    // RFC 7622 §3.3.1: characters a localpart may not contain.
    for (char c : new char[] {'"', '&', '\'', '/', ':', '<', '>', '@'}) {
      if (enforced.indexOf(c) >= 0) {
        return Optional.empty();
      }
    }
    return Optional.of(enforced);
  }

  /**
   * Whether {@code authzid} names the authenticated user {@code username} itself: the simple user
   * name, or the bare JID {@code username@domain}. Nobody may act as anybody else here.
   */
  static boolean isOwnIdentity(String authzid, String username, String domain) {
    if (authzid.indexOf('/') >= 0) {
      return false; // a full JID: authorization is for an account, not a resource
    }
    int at = authzid.indexOf('@');
    String local = at < 0 ? authzid : authzid.substring(0, at);
    if (at >= 0 && !sameDomain(authzid.substring(at + 1), domain)) {
      return false;
    }
    return username(local).map(username::equals).orElse(false);
  }

  private static boolean sameDomain(String a, String b) {
    return stripDot(a).toLowerCase(Locale.ROOT).equals(stripDot(b).toLowerCase(Locale.ROOT));
  }

  private static String stripDot(String domain) {
    return domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
  }

  /** The text of {@code bytes} if they are well-formed UTF-8 without NUL, else nothing. */
  static Optional<String> utf8(byte[] bytes) {
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return Optional.of(s);
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}

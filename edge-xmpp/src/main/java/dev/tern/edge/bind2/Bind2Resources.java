package dev.tern.edge.bind2;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * The resource Bind 2 binds (XEP-0386 §3.2.1): {@code [tag "/"] suffix}, the format the XEP
 * recommends, e.g. {@code AwesomeXMPP/k3vq7xbn}.
 *
 * <ul>
 *   <li>{@code tag} is the client's {@code <tag/>} after {@link #sanitiseTag}; without one the
 *       resource is the suffix alone.
 *   <li>{@code suffix} is 8 characters of lower-case RFC 4648 base32 (40 bits). With a SASL2
 *       user agent it is the first 8 characters of
 *       {@code base32(HMAC-SHA-256(key, "bind2-resource" || 0x00 || username || 0x00 || id))}
 *       with the user-agent id in lower case: the same device of the same user gets the same
 *       resource every time, at every edge that shares the key, while the resource reveals
 *       neither the id (XEP-0386 §3.2.1 forbids exposing it) nor, across accounts, that two
 *       accounts are used on one device. Without a user agent it is random.
 * </ul>
 *
 * <p>A stable resource means a reconnecting device takes over its own earlier session, as
 * XEP-0386 §3.2 asks ("terminate any earlier sessions from the same client"): the session layer
 * already replaces a session whose resource is bound again (RFC 6120 §7.7.2.2).
 */
public final class Bind2Resources {

  /** Shortest key: 256 bits, the output of the HMAC-SHA-256 it keys. */
  public static final int MIN_KEY_LENGTH = 32;

  /** Most code points of a client's tag kept in the resource. */
  public static final int MAX_TAG_CODE_POINTS = 32;

  /** Characters of the server-generated part. */
  public static final int SUFFIX_LENGTH = 8;

  private static final String HMAC = "HmacSHA256";
  private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
  private static final byte[] LABEL = "bind2-resource".getBytes(StandardCharsets.US_ASCII);

  private final byte[] key;
  private final SecureRandom random;

  private Bind2Resources(byte[] key, SecureRandom random) {
    this.key = key;
    this.random = random;
  }

  /**
   * Resources derived with {@code key}, at least {@link #MIN_KEY_LENGTH} bytes, which must be the
   * same at every edge and must not change, or devices change resource.
   */
  public static Bind2Resources of(byte[] key) {
    return of(key, new SecureRandom());
  }

  /** As {@link #of(byte[])}, with {@code random} for the suffix of clients without user agent. */
  public static Bind2Resources of(byte[] key, SecureRandom random) {
    requireNonNull(key, "key");
    requireNonNull(random, "random");
    if (key.length < MIN_KEY_LENGTH) {
      throw new IllegalArgumentException("bind2 resource key: at least " + MIN_KEY_LENGTH
          + " bytes are needed, got " + key.length);
    }
    return new Bind2Resources(key.clone(), random);
  }

  /**
   * The resource for {@code username} (its PRECIS localpart) binding with {@code tag} from a
   * device with the SASL2 user-agent id {@code userAgentId}. It is always a valid resourcepart.
   */
  public String resource(String username, Optional<String> tag, Optional<String> userAgentId) {
    requireNonNull(username, "username");
    requireNonNull(tag, "tag");
    requireNonNull(userAgentId, "userAgentId");
    String suffix = userAgentId.map(id -> stableSuffix(username, id)).orElseGet(this::randomSuffix);
    return tag.flatMap(Bind2Resources::sanitiseTag).map(t -> t + "/" + suffix).orElse(suffix);
  }

  private String stableSuffix(String username, String userAgentId) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      mac.update(LABEL);
      mac.update((byte) 0);
      mac.update(username.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      byte[] digest =
          mac.doFinal(userAgentId.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      return base32(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + HMAC, e);
    }
  }

  private String randomSuffix() {
    byte[] bytes = new byte[5];
    random.nextBytes(bytes);
    return base32(bytes);
  }

  /** The first {@link #SUFFIX_LENGTH} base32 characters of {@code bytes} (at least 5 bytes). */
  private static String base32(byte[] bytes) {
    long bits = 0;
    for (int i = 0; i < 5; i++) {
      bits = (bits << 8) | (bytes[i] & 0xff);
    }
    StringBuilder out = new StringBuilder(SUFFIX_LENGTH);
    for (int i = SUFFIX_LENGTH - 1; i >= 0; i--) {
      out.append(BASE32.charAt((int) (bits >>> (5 * i)) & 31));
    }
    return out.toString();
  }

  /**
   * {@code tag} made fit for a resource: characters that are controls, format characters,
   * private-use, unassigned, or line and paragraph separators are dropped, other spaces become
   * U+0020, at most {@link #MAX_TAG_CODE_POINTS} code points are kept, and the result is
   * prepared as a PRECIS OpaqueString (RFC 8265 §4.2). Nothing if nothing usable is left.
   */
  public static Optional<String> sanitiseTag(String tag) {
    requireNonNull(tag, "tag");
    StringBuilder kept = new StringBuilder();
    int count = 0;
    for (int i = 0; i < tag.length() && count < MAX_TAG_CODE_POINTS; ) {
      int cp = tag.codePointAt(i);
      i += Character.charCount(cp);
      switch (Character.getType(cp)) {
        case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
            Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> {
          continue;
        }
        case Character.SPACE_SEPARATOR -> kept.append(' ');
        default -> kept.appendCodePoint(cp);
      }
      count++;
    }
    String candidate = kept.toString().strip();
    if (candidate.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(PrecisProfiles.OPAQUE_STRING.enforce(candidate));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}

package dev.tern.edge.fast;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.sasl.ChannelBinding;
import dev.tern.edge.sasl.SaslContext;
import dev.tern.edge.sasl.SaslServer;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.storage.accounts.AccountStore;
import dev.tern.storage.fast.FastToken;
import dev.tern.storage.fast.FastTokenStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * FAST (XEP-0484) on the server: which HT mechanisms to offer on a stream, their server side,
 * and the tokens: issuing, rotating and invalidating them, and the {@code <token/>} that carries
 * a new one to the client.
 *
 * <p>A token is 32 random bytes written as unpadded base64url (43 characters): that text is the
 * {@code token} attribute the client gets, and its bytes are the HMAC key both sides use.
 *
 * <p>Token policy, per user and device (the SASL2 user-agent id), after a successful SASL2
 * authentication ({@link #afterSuccess}):
 *
 * <ul>
 *   <li>authenticated without a token (a password): a {@code <request-token/>} gets a new token,
 *       which replaces every token the device had;
 *   <li>authenticated with token T and {@code <fast invalidate='true'/>}: every token of the
 *       device is deleted, T included (XEP-0484 §3.6), and a new one is issued only if the
 *       request also had a {@code <request-token/>};
 *   <li>authenticated with token T otherwise: T stays valid, every other token of the device is
 *       deleted (the older ones must go, XEP-0484 §3.5; newer ones were never received, or the
 *       client would have used them), and a new token is issued if the client asked for one or
 *       T expires within {@link Builder#rotateWhenExpiringWithin}. By default that is the whole
 *       lifetime, so every FAST authentication rotates: the device then holds T and the new
 *       token until it authenticates with the new one, which removes T (the "current" and "new"
 *       slots of XEP-0484's implementation notes).
 * </ul>
 */
public final class FastTokens {

  /** XEP-0484 §8. */
  public static final String NAMESPACE = "urn:xmpp:fast:0";

  /** Lifetime of a token unless configured: a device away for a month must log in again. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofDays(30);

  /** Longest lifetime accepted. */
  public static final Duration MAX_LIFETIME = Duration.ofDays(365);

  /** Random bytes in a token. */
  public static final int TOKEN_BYTES = 32;

  private static final Base64.Encoder TOKEN_TEXT = Base64.getUrlEncoder().withoutPadding();

  private final FastTokenStore store;
  private final AccountStore accounts;
  private final Duration lifetime;
  private final Duration rotateWithin;
  private final Clock clock;
  private final SecureRandom random;

  private FastTokens(Builder b) {
    this.store = b.store;
    this.accounts = b.accounts;
    this.lifetime = b.lifetime;
    this.rotateWithin = b.rotateWithin == null ? b.lifetime : b.rotateWithin;
    this.clock = b.clock;
    this.random = b.random;
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException("fast.lifetime: must be more than 0 and at most "
          + MAX_LIFETIME.toDays() + " days, was " + lifetime);
    }
    if (rotateWithin.isNegative() || rotateWithin.compareTo(lifetime) > 0) {
      throw new IllegalArgumentException("fast.rotateWhenExpiringWithin: must be between 0 and "
          + "the lifetime " + lifetime + ", was " + rotateWithin);
    }
  }

  /**
   * FAST over {@code store} with the default lifetime, rotating on every use; a token opens a
   * session only while its account in {@code accounts} exists and had its credentials set before
   * the token was issued (a removal or a password change revokes every token).
   */
  public static FastTokens of(FastTokenStore store, AccountStore accounts) {
    return builder(store, accounts).build();
  }

  public static Builder builder(FastTokenStore store, AccountStore accounts) {
    return new Builder(requireNonNull(store, "store"), requireNonNull(accounts, "accounts"));
  }

  /** How long an issued token is valid. */
  public Duration lifetime() {
    return lifetime;
  }

  /**
   * The HT mechanisms for the {@code <fast/>} feature on this stream, most preferred first: one
   * per channel binding the TLS layer provided, in the context's order, then
   * {@code HT-SHA-256-NONE}. None without TLS: a token replayed from a clear-text stream would
   * open the account (XEP-0484 §6).
   */
  public List<String> mechanisms(SaslContext context) {
    requireNonNull(context, "context");
    if (!context.tlsActive()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (ChannelBinding binding : context.channelBindings()) {
      HtMechanism.forChannelBinding(binding.type())
          .ifPresent(m -> out.add(m.mechanismName()));
    }
    out.add(HtMechanism.NONE.mechanismName());
    return List.copyOf(out);
  }

  /**
   * The SASL2 inline feature {@code <fast xmlns='urn:xmpp:fast:0'/>} listing
   * {@link #mechanisms} (XEP-0484 §3.1); nothing when none is offered. TLS 0-RTT is not offered.
   */
  public Optional<XmlElement> feature(SaslContext context) {
    List<String> mechanisms = mechanisms(context);
    if (mechanisms.isEmpty()) {
      return Optional.empty();
    }
    XmlElement.Builder fast = XmlElement.builder("fast", NAMESPACE);
    for (String m : mechanisms) {
      fast.child(XmlElement.builder("mechanism", NAMESPACE).text(m).build());
    }
    return Optional.of(fast.build());
  }

  /**
   * The server side of {@code mechanism} for the device {@code deviceId} on this stream, or
   * nothing when it is not one of {@link #mechanisms} here.
   */
  public Optional<SaslServer> server(String mechanism, SaslContext context, String deviceId) {
    requireNonNull(mechanism, "mechanism");
    requireNonNull(context, "context");
    requireNonNull(deviceId, "deviceId");
    if (!mechanisms(context).contains(mechanism)) {
      return Optional.empty();
    }
    HtMechanism m = HtMechanism.forName(mechanism).orElseThrow();
    byte[] cbData = m.channelBindingType()
        .map(type -> context.channelBinding(type).orElseThrow().data())
        .orElse(new byte[0]);
    return Optional.of(new HtServer(m, cbData, context.domain(), deviceId, store, accounts,
        lifetime, clock));
  }

  /**
   * Applies the token policy (see the class comment) once SASL2 authenticated {@code username}
   * on the device {@code deviceId} with {@code used}, and completes with the token to send in
   * the {@code <success/>} ({@link #tokenElement}), if any. Call it for every successful
   * authentication that carried a user agent, whatever the mechanism; without a user agent there
   * is nothing to do (XEP-0484 §4.1: FAST needs the user-agent id).
   *
   * @param used the mechanism's server that just succeeded; when it is one of
   *     {@link #server}'s, its token is the one used
   * @throws IllegalArgumentException if {@code used} authenticated another user or device
   */
  public CompletionStage<Optional<FastToken>> afterSuccess(
      String username, String deviceId, FastRequest request, SaslServer used) {
    requireNonNull(username, "username");
    requireNonNull(deviceId, "deviceId");
    requireNonNull(request, "request");
    requireNonNull(used, "used");
    @Nullable FastToken token = used instanceof HtServer ht
        ? ht.authenticatedToken().orElse(null) : null;
    if (token == null) {
      return request.requestedMechanism().isEmpty()
          ? CompletableFuture.completedFuture(Optional.empty())
          : replaceOthers(username, deviceId, null, request.requestedMechanism());
    }
    if (!token.username().equals(username) || !token.deviceId().equals(deviceId)) {
      throw new IllegalArgumentException("the token authenticated " + token.username()
          + " on device " + token.deviceId() + ", not " + username + " on " + deviceId);
    }
    if (request.invalidate()) {
      CompletionStage<Void> gone = store.deleteAll(username, deviceId);
      Optional<String> requested = request.requestedMechanism();
      return requested.isEmpty()
          ? gone.thenApply(v -> Optional.empty())
          : gone.thenCompose(v -> issue(username, deviceId, requested.get()))
              .thenApply(Optional::of);
    }
    FastToken current = token;
    Optional<String> next = request.requestedMechanism().or(() -> rotationDue(current)
        ? Optional.of(current.mechanism()) : Optional.empty());
    return replaceOthers(username, deviceId, current, next);
  }

  private boolean rotationDue(FastToken token) {
    return Duration.between(clock.instant(), token.expires()).compareTo(rotateWithin) <= 0;
  }

  /**
   * Issues a token for {@code next}, if present, then deletes every token of the device but
   * {@code keep} and the new one; the new token is stored before any is deleted, so a failure in
   * between leaves one token too many rather than none.
   */
  private CompletionStage<Optional<FastToken>> replaceOthers(String username, String deviceId,
      @Nullable FastToken keep, Optional<String> next) {
    return store.find(username, deviceId).thenCompose(existing -> {
      CompletionStage<Optional<FastToken>> issued = next.isEmpty()
          ? CompletableFuture.completedFuture(Optional.empty())
          : issue(username, deviceId, next.get()).thenApply(Optional::of);
      return issued.thenCompose(fresh -> {
        List<CompletableFuture<Void>> deletions = new ArrayList<>();
        for (FastToken old : existing) {
          if (keep == null || !keep.hasSecret(old.secret())) {
            deletions.add(store.delete(username, deviceId, old.secret()).toCompletableFuture());
          }
        }
        return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new))
            .thenApply(v -> fresh);
      });
    });
  }

  /**
   * Issues and stores a new token for {@code mechanism} (an HT mechanism name) to the device,
   * valid for {@link #lifetime()} from now, to the second. It adds to the device's tokens; the
   * policy of {@link #afterSuccess} decides which to delete.
   */
  public CompletionStage<FastToken> issue(String username, String deviceId, String mechanism) {
    requireNonNull(username, "username");
    requireNonNull(deviceId, "deviceId");
    requireNonNull(mechanism, "mechanism");
    if (HtMechanism.forName(mechanism).isEmpty()) {
      throw new IllegalArgumentException("not an HT mechanism of Tern: " + mechanism);
    }
    byte[] random = new byte[TOKEN_BYTES];
    this.random.nextBytes(random);
    byte[] secret = TOKEN_TEXT.encodeToString(random).getBytes(StandardCharsets.US_ASCII);
    Instant expires = clock.instant().plus(lifetime).truncatedTo(ChronoUnit.MILLIS);
    FastToken token = new FastToken(username, deviceId, mechanism, secret, expires);
    return store.put(token).thenApply(v -> token);
  }

  /**
   * {@code <token xmlns='urn:xmpp:fast:0' expiry='…' token='…'/>} for the {@code <success/>}
   * (XEP-0484 §3.3), the expiry in the DateTime profile of XEP-0082.
   */
  public static XmlElement tokenElement(FastToken token) {
    requireNonNull(token, "token");
    return XmlElement.builder("token", NAMESPACE)
        .attribute("expiry", DateTimeFormatter.ISO_INSTANT.format(token.expires()))
        .attribute("token", new String(token.secret(), StandardCharsets.UTF_8))
        .build();
  }

  /** Options of {@link FastTokens}; everything has a default. */
  public static final class Builder {
    private final FastTokenStore store;
    private final AccountStore accounts;
    private Duration lifetime = DEFAULT_LIFETIME;
    private @Nullable Duration rotateWithin;
    private Clock clock = Clock.systemUTC();
    private SecureRandom random = new SecureRandom();

    private Builder(FastTokenStore store, AccountStore accounts) {
      this.store = store;
      this.accounts = accounts;
    }

    /**
     * How long an issued token is valid, more than 0 and at most {@link #MAX_LIFETIME}; default
     * {@link #DEFAULT_LIFETIME}. A device that does not connect for that long logs in with its
     * password again.
     */
    public Builder lifetime(Duration lifetime) {
      this.lifetime = requireNonNull(lifetime, "lifetime");
      return this;
    }

    /**
     * After a FAST authentication, issue a new token when the used one expires within
     * {@code window}: zero never rotates unasked, the lifetime (the default) always rotates.
     */
    public Builder rotateWhenExpiringWithin(Duration window) {
      this.rotateWithin = requireNonNull(window, "window");
      return this;
    }

    /** The clock of expiry; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Source of token bytes; default a new {@link SecureRandom}. */
    public Builder random(SecureRandom random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /** @throws IllegalArgumentException for a lifetime or rotation window out of range */
    public FastTokens build() {
      return new FastTokens(this);
    }
  }
}

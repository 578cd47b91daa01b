package dev.tern.edge.fast;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.jid.Jid;
import dev.tern.edge.sasl.SaslFailure;
import dev.tern.edge.sasl.SaslServer;
import dev.tern.edge.sasl.SaslStep;
import dev.tern.edge.sasl.SaslStep.Challenge;
import dev.tern.edge.sasl.SaslStep.Failure;
import dev.tern.edge.sasl.SaslStep.Success;
import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.AccountStore;
import dev.tern.storage.fast.FastToken;
import dev.tern.storage.fast.FastTokenStore;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The server side of one HT-SHA-256-* exchange (draft-schmaus-kitten-sasl-ht-08) for one
 * device, as FAST uses it (XEP-0484 §3.4):
 *
 * <pre>
 *   initiator-msg = authcid NUL HMAC(token, "Initiator" || cb-data)
 *   responder-msg = HMAC(token, "Responder" || cb-data)   -- the success's additional data
 * </pre>
 *
 * <p>{@code cb-data} is the channel-binding data of the mechanism's type, empty for
 * {@code -NONE}. The initiator's HMAC is checked, in constant time, against every unexpired token
 * the store holds for the user and device that is bound to this mechanism. No such token, a
 * wrong HMAC and an unknown user all answer {@link SaslFailure#NOT_AUTHORIZED}; a token whose
 * expiry passed after the store gave it out answers {@link SaslFailure#CREDENTIALS_EXPIRED}
 * (XEP-0484 §4.2: a token the server no longer trusts).
 */
final class HtServer implements SaslServer {

  private static final String HMAC = "HmacSHA256";
  private static final byte[] INITIATOR = "Initiator".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RESPONDER = "Responder".getBytes(StandardCharsets.US_ASCII);
  private static final int HMAC_LENGTH = 32;
  /** Keys the stand-in HMAC computed when there is no candidate token, to even out the work. */
  private static final byte[] STAND_IN_KEY = new byte[HMAC_LENGTH];

  private enum State { INITIAL, AWAITING_MESSAGE, VERIFYING, DONE }

  private final HtMechanism mechanism;
  private final byte[] channelBindingData;
  private final String domain;
  private final String deviceId;
  private final FastTokenStore store;
  private final AccountStore accounts;
  private final Duration lifetime;
  private final Clock clock;

  private State state = State.INITIAL;
  private @Nullable FastToken authenticated;

  HtServer(HtMechanism mechanism, byte[] channelBindingData, String domain, String deviceId,
      FastTokenStore store, AccountStore accounts, Duration lifetime, Clock clock) {
    this.mechanism = mechanism;
    this.channelBindingData = channelBindingData.clone();
    this.domain = domain;
    this.deviceId = deviceId;
    this.store = store;
    this.accounts = accounts;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  @Override
  public String mechanism() {
    return mechanism.mechanismName();
  }

  @Override
  public synchronized CompletionStage<SaslStep> start(byte[] initialResponse) {
    requireNonNull(initialResponse, "initialResponse");
    if (state != State.INITIAL) {
      throw new IllegalStateException(mechanism() + ": start() called twice");
    }
    if (initialResponse.length == 0) {
      // RFC 4422 §5: the client sends first; without an initial response it gets an empty challenge.
      state = State.AWAITING_MESSAGE;
      return done(new Challenge(new byte[0]));
    }
    return message(initialResponse);
  }

  @Override
  public synchronized CompletionStage<SaslStep> evaluate(byte[] response) {
    requireNonNull(response, "response");
    return switch (state) {
      case AWAITING_MESSAGE -> message(response);
      case INITIAL -> throw new IllegalStateException(mechanism() + ": evaluate() before start()");
      case VERIFYING, DONE -> done(fail(SaslFailure.MALFORMED_REQUEST,
          "no response is expected now"));
    };
  }

  /** The token that authenticated the client, once this exchange succeeded. */
  synchronized Optional<FastToken> authenticatedToken() {
    return Optional.ofNullable(authenticated);
  }

  private CompletionStage<SaslStep> message(byte[] message) {
    int nul = -1;
    for (int i = 0; i < message.length; i++) {
      if (message[i] == 0) {
        nul = i;
        break;
      }
    }
    if (nul <= 0 || nul == message.length - 1) {
      return done(fail(SaslFailure.MALFORMED_REQUEST, "not authcid NUL initiator-hashed-token"));
    }
    Optional<String> authcid = utf8(Arrays.copyOfRange(message, 0, nul));
    if (authcid.isEmpty()) {
      return done(fail(SaslFailure.MALFORMED_REQUEST, "the authcid is not UTF-8 text"));
    }
    byte[] hashedToken = Arrays.copyOfRange(message, nul + 1, message.length);
    Optional<String> username = username(authcid.get());

    state = State.VERIFYING;
    CompletionStage<List<FastToken>> found;
    CompletionStage<Optional<Account>> account;
    if (username.isEmpty()) {
      found = CompletableFuture.completedFuture(List.of());
      account = CompletableFuture.completedFuture(Optional.empty());
    } else {
      try {
        found = store.find(username.get(), deviceId);
        account = accounts.find(username.get());
      } catch (RuntimeException e) {
        return done(fail(SaslFailure.TEMPORARY_AUTH_FAILURE, "tokens are not available"));
      }
    }
    return found.thenCombine(account, (tokens, owner) -> {
      // A token opens a session only while its account exists and its credentials are no
      // newer than the token: removing the account or changing its password revokes them all.
      Instant validFrom = owner.map(Account::credentialsChangedAt).orElse(Instant.MAX);
      return tokens.stream()
          .filter(t -> !t.expires().minus(lifetime).isBefore(validFrom)).toList();
    }).handle((tokens, error) -> {
      synchronized (this) {
        if (state != State.VERIFYING) {
          return new Failure(SaslFailure.MALFORMED_REQUEST, "the exchange has ended");
        }
        if (error != null) {
          return fail(SaslFailure.TEMPORARY_AUTH_FAILURE, "tokens are not available");
        }
        return verify(username.orElse(""), tokens, hashedToken);
      }
    });
  }

  private SaslStep verify(String username, List<FastToken> tokens, byte[] hashedToken) {
    @Nullable FastToken matched = null;
    boolean triedAny = false;
    for (FastToken token : tokens) {
      // XEP-0484 §3.4: a token is bound to the mechanism it was requested for.
      if (!token.mechanism().equals(mechanism.mechanismName())) {
        continue;
      }
      triedAny = true;
      boolean equal = MessageDigest.isEqual(hmac(token.secret(), INITIATOR), hashedToken);
      if (equal && matched == null) {
        matched = token;
      }
    }
    if (!triedAny) {
      MessageDigest.isEqual(hmac(STAND_IN_KEY, INITIATOR), hashedToken);
    }
    if (matched == null) {
      return fail(SaslFailure.NOT_AUTHORIZED, "");
    }
    if (matched.hasExpired(clock.instant())) {
      return fail(SaslFailure.CREDENTIALS_EXPIRED, "the token has expired");
    }
    state = State.DONE;
    authenticated = matched;
    return new Success(hmac(matched.secret(), RESPONDER), username);
  }

  /** HMAC-SHA-256(key, label || cb-data). */
  private byte[] hmac(byte[] key, byte[] label) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      mac.update(label);
      return mac.doFinal(channelBindingData);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + HMAC, e);
    }
  }

  /** The PRECIS UsernameCaseMapped localpart of {@code authcid}, if it can be one. */
  private Optional<String> username(String authcid) {
    try {
      return Jid.of(authcid, domain, null).local();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private Failure fail(SaslFailure condition, String text) {
    state = State.DONE;
    return new Failure(condition, text);
  }

  private static CompletionStage<SaslStep> done(SaslStep step) {
    return CompletableFuture.completedFuture(step);
  }
}

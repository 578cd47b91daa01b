package dev.tern.edge.sasl;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.sasl.SaslStep.Challenge;
import dev.tern.edge.sasl.SaslStep.Failure;
import dev.tern.edge.sasl.SaslStep.Success;
import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.AccountStore;
import dev.tern.storage.accounts.StoredCredential;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The server side of PLAIN (RFC 4616), offered only over TLS. The password is checked against the
 * stored SCRAM credential (SCRAM-SHA-256 if the account has one, else SCRAM-SHA-1): it is salted
 * and hashed with that credential's salt and iteration count and the StoredKeys are compared in
 * constant time. An unknown user is checked against a stand-in credential with the same work.
 */
final class PlainServer implements SaslServer {

  static final String MECHANISM = "PLAIN";

  /** RFC 4616 §2 asks to accept at least 255 octets per field; longer is not a real password. */
  static final int MAX_PASSWORD_OCTETS = 1024;

  private enum State { INITIAL, AWAITING_MESSAGE, VERIFYING, DONE }

  private final SaslContext context;
  private final AccountStore accounts;
  private final UnknownUsers unknownUsers;
  private final Executor passwordHashing;
  private State state = State.INITIAL;

  PlainServer(SaslContext context, AccountStore accounts, UnknownUsers unknownUsers,
      Executor passwordHashing) {
    this.context = context;
    this.accounts = accounts;
    this.unknownUsers = unknownUsers;
    this.passwordHashing = passwordHashing;
  }

  @Override
  public String mechanism() {
    return MECHANISM;
  }

  @Override
  public synchronized CompletionStage<SaslStep> start(byte[] initialResponse) {
    requireNonNull(initialResponse, "initialResponse");
    if (state != State.INITIAL) {
      throw new IllegalStateException("PLAIN: start() called twice");
    }
    if (initialResponse.length == 0) {
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
      case INITIAL -> throw new IllegalStateException("PLAIN: evaluate() before start()");
      case VERIFYING, DONE -> done(fail(SaslFailure.MALFORMED_REQUEST,
          "no response is expected now"));
    };
  }

  // RFC 4616 §2: message = [authzid] UTF8NUL authcid UTF8NUL passwd
  private CompletionStage<SaslStep> message(byte[] message) {
    int first = indexOf(message, 0);
    int second = first < 0 ? -1 : indexOf(message, first + 1);
    if (second < 0 || indexOf(message, second + 1) >= 0) {
      return done(fail(SaslFailure.MALFORMED_REQUEST, "not [authzid] NUL authcid NUL passwd"));
    }
    Optional<String> authzid = SaslIdentity.utf8(Arrays.copyOfRange(message, 0, first));
    Optional<String> authcid = SaslIdentity.utf8(Arrays.copyOfRange(message, first + 1, second));
    byte[] password = Arrays.copyOfRange(message, second + 1, message.length);
    Optional<String> passwordText = SaslIdentity.utf8(password);
    if (authzid.isEmpty() || authcid.isEmpty() || passwordText.isEmpty()) {
      return done(fail(SaslFailure.MALFORMED_REQUEST, "not UTF-8 text"));
    }
    if (authcid.get().isEmpty() || password.length == 0) {
      return done(fail(SaslFailure.MALFORMED_REQUEST, "authcid and passwd must not be empty"));
    }
    if (password.length > MAX_PASSWORD_OCTETS) {
      return done(fail(SaslFailure.MALFORMED_REQUEST, "passwd is too long"));
    }
    Optional<String> username = SaslIdentity.username(authcid.get());
    if (!authzid.get().isEmpty() && (username.isEmpty()
        || !SaslIdentity.isOwnIdentity(authzid.get(), username.get(), context.domain()))) {
      return done(fail(SaslFailure.INVALID_AUTHZID, "authzid is not the authenticating user"));
    }
    byte[] normalized = normalizedPassword(passwordText.get());
    boolean passwordValid = normalized != null;
    byte[] candidate = passwordValid ? normalized : password;

    state = State.VERIFYING;
    CompletionStage<Optional<Account>> found;
    if (username.isEmpty()) {
      found = CompletableFuture.completedFuture(Optional.empty());
    } else {
      try {
        found = accounts.find(username.get());
      } catch (RuntimeException e) {
        return done(fail(SaslFailure.TEMPORARY_AUTH_FAILURE, "accounts are not available"));
      }
    }
    String name = username.orElse(authcid.get());
    return found.handleAsync((account, error) -> {
      try {
        if (error != null) {
          return finish(fail(SaslFailure.TEMPORARY_AUTH_FAILURE, "accounts are not available"));
        }
        return finish(verify(account.orElse(null), name, candidate, passwordValid));
      } finally {
        Arrays.fill(candidate, (byte) 0);
        Arrays.fill(password, (byte) 0);
      }
    }, passwordHashing);
  }

  private SaslStep verify(
      @Nullable Account account, String name, byte[] candidate, boolean passwordValid) {
    StoredCredential stored = null;
    if (account != null) {
      stored = account.credentials().get(ScramHash.SHA_256.mechanismName());
      if (stored == null) {
        stored = account.credentials().get(ScramHash.SHA_1.mechanismName());
      }
    }
    boolean known = stored != null;
    StoredCredential c = stored != null ? stored : unknownUsers.credential(ScramHash.SHA_256, name);
    ScramHash hash = ScramHash.forMechanism(c.mechanism()).orElse(ScramHash.SHA_256);
    StoredCredential offered =
        ScramCredentials.fromNormalized(hash, candidate, c.salt(), c.iterations());
    boolean matches = MessageDigest.isEqual(offered.storedKey(), c.storedKey());
    if (matches & known & passwordValid) {
      return new Success(new byte[0], name);
    }
    return new Failure(SaslFailure.NOT_AUTHORIZED, "");
  }

  private synchronized SaslStep finish(SaslStep step) {
    state = State.DONE;
    return step;
  }

  private static byte @Nullable [] normalizedPassword(String password) {
    char[] chars = password.toCharArray();
    try {
      return ScramCredentials.normalize(chars);
    } catch (IllegalArgumentException e) {
      return null;
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  private Failure fail(SaslFailure condition, String text) {
    state = State.DONE;
    return new Failure(condition, text);
  }

  private static CompletionStage<SaslStep> done(SaslStep step) {
    return CompletableFuture.completedFuture(step);
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return -1;
  }
}

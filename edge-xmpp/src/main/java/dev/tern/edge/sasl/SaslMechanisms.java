package dev.tern.edge.sasl;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.accounts.AccountStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The SASL mechanisms of client streams (RFC 6120 §6.3.3, §6.4.1): which to offer on a stream and
 * the server side of the one the client picks.
 *
 * <p>Offered, in order of preference: SCRAM-SHA-256-PLUS and SCRAM-SHA-1-PLUS when the TLS layer
 * gave channel bindings, SCRAM-SHA-256, SCRAM-SHA-1, and PLAIN only over TLS (RFC 6120 §13.9.4:
 * never a clear-text password on a clear-text stream).
 *
 * <p>An unknown user goes through the same steps as a wrong password, against stand-in
 * credentials derived from a secret (see {@link UnknownUsers}). The secret must be the same at
 * every edge of the domain and must not change, or the salt of a name nobody has would betray it.
 */
public final class SaslMechanisms {

  /** RFC 4616. */
  public static final String PLAIN = PlainServer.MECHANISM;

  /** Shortest secret for stand-in credentials: 256 bits, the output of the HMAC-SHA-256 it keys. */
  public static final int MIN_SECRET_LENGTH = 32;

  private final AccountStore accounts;
  private final UnknownUsers unknownUsers;
  private final Supplier<String> nonces;
  private final Executor passwordHashing;

  private SaslMechanisms(Builder b) {
    this.accounts = b.accounts;
    this.unknownUsers = new UnknownUsers(requireNonNull(b.unknownUserSecret,
        "unknownUserSecret: not set"));
    this.passwordHashing = b.passwordHashing;
    SecureRandom random = b.random;
    Supplier<String> nonces = b.nonces;
    this.nonces = nonces != null ? nonces : () -> randomNonce(random);
  }

  /** The accounts these mechanisms authenticate against. */
  public AccountStore accounts() {
    return accounts;
  }

  /** The mechanisms over {@code accounts}, with defaults for everything but the secret. */
  public static SaslMechanisms of(AccountStore accounts, byte[] unknownUserSecret) {
    return builder(accounts).unknownUserSecret(unknownUserSecret).build();
  }

  public static Builder builder(AccountStore accounts) {
    return new Builder(requireNonNull(accounts, "accounts"));
  }

  /** The mechanism names for {@code <mechanisms/>} on this stream, most preferred first. */
  public List<String> offered(SaslContext context) {
    requireNonNull(context, "context");
    List<String> out = new ArrayList<>();
    if (!context.channelBindings().isEmpty()) {
      out.add(ScramHash.SHA_256.plusMechanismName());
      out.add(ScramHash.SHA_1.plusMechanismName());
    }
    out.add(ScramHash.SHA_256.mechanismName());
    out.add(ScramHash.SHA_1.mechanismName());
    if (context.tlsActive()) {
      out.add(PLAIN);
    }
    return List.copyOf(out);
  }

  /**
   * The channel-binding types for XEP-0440's {@code <sasl-channel-binding/>}, in the order the
   * context lists them; empty (send no such element) when no -PLUS mechanism is offered.
   */
  public List<String> channelBindingTypes(SaslContext context) {
    requireNonNull(context, "context");
    return context.channelBindings().stream().map(ChannelBinding::type).toList();
  }

  /**
   * The server side of {@code mechanism} on this stream, or nothing when the name is not a
   * mechanism offered here (answer {@link SaslFailure#INVALID_MECHANISM}). PLAIN without TLS
   * gives a server whose every step is {@link SaslFailure#ENCRYPTION_REQUIRED}.
   */
  public Optional<SaslServer> create(String mechanism, SaslContext context) {
    requireNonNull(mechanism, "mechanism");
    requireNonNull(context, "context");
    if (mechanism.equals(PLAIN)) {
      return Optional.of(context.tlsActive()
          ? new PlainServer(context, accounts, unknownUsers, passwordHashing)
          : new RefusedMechanism(PLAIN, new SaslStep.Failure(SaslFailure.ENCRYPTION_REQUIRED,
              "PLAIN is only offered over TLS")));
    }
    for (ScramHash hash : ScramHash.values()) {
      if (mechanism.equals(hash.mechanismName())) {
        return Optional.of(new ScramServer(hash, false, context, accounts, unknownUsers, nonces));
      }
      if (mechanism.equals(hash.plusMechanismName()) && !context.channelBindings().isEmpty()) {
        return Optional.of(new ScramServer(hash, true, context, accounts, unknownUsers, nonces));
      }
    }
    return Optional.empty();
  }

  /** 144 random bits as 24 base 64 characters: printable, and never a ',' (RFC 5802 §7). */
  private static String randomNonce(SecureRandom random) {
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Options of {@link SaslMechanisms}; only the unknown-user secret has no default. */
  public static final class Builder {
    private final AccountStore accounts;
    private byte @Nullable [] unknownUserSecret;
    private Executor passwordHashing = ForkJoinPool.commonPool();
    private SecureRandom random = new SecureRandom();
    private @Nullable Supplier<String> nonces;

    private Builder(AccountStore accounts) {
      this.accounts = accounts;
    }

    /**
     * The secret the stand-in credentials of unknown users are derived from, at least
     * {@link #MIN_SECRET_LENGTH} bytes; the same at every edge and over time.
     */
    public Builder unknownUserSecret(byte[] secret) {
      requireNonNull(secret, "secret");
      if (secret.length < MIN_SECRET_LENGTH) {
        throw new IllegalArgumentException("unknownUserSecret: at least " + MIN_SECRET_LENGTH
            + " bytes are needed, got " + secret.length);
      }
      this.unknownUserSecret = secret.clone();
      return this;
    }

    /**
     * Where PLAIN salts and hashes a password (thousands of HMACs): not an event loop, nor the
     * Cassandra driver's I/O threads. Default: the common fork-join pool.
     */
    public Builder passwordHashing(Executor executor) {
      this.passwordHashing = requireNonNull(executor, "executor");
      return this;
    }

    /** Source of server nonces; default a new {@link SecureRandom}. */
    public Builder random(SecureRandom random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /** Fixed server nonces, for the RFC test vectors. */
    Builder nonces(Supplier<String> nonces) {
      this.nonces = requireNonNull(nonces, "nonces");
      return this;
    }

    public SaslMechanisms build() {
      return new SaslMechanisms(this);
    }
  }
}

package dev.tern.edge.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.AccountStore;
import dev.tern.storage.accounts.StoredCredential;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Streams, accounts and helpers shared by the SASL tests. */
final class SaslFixtures {

  static final String DOMAIN = "example.com";
  static final byte[] SECRET = "a secret of thirty-two bytes....".getBytes(StandardCharsets.US_ASCII);
  static final byte[] EXPORTER = bytes("32 bytes of tls-exporter output!");
  static final byte[] END_POINT = bytes("SHA-256 of the server certificat");

  static final SaslContext CLEAR = new SaslContext(false, List.of(), DOMAIN);
  static final SaslContext TLS = new SaslContext(true, List.of(), DOMAIN);

  /**
   * A stream over TLS with both bindings, on which nothing was attempted yet: a new one each time,
   * as attempts leave their mark on a stream's context ({@link BindingAttempts}).
   */
  static SaslContext tlsWithBindings() {
    return tlsWithBindings(new BindingAttempts());
  }

  /** A stream over TLS with both bindings, with what {@code attempts} recorded on it. */
  static SaslContext tlsWithBindings(BindingAttempts attempts) {
    return new SaslContext(true, List.of(
        new ChannelBinding(ChannelBinding.TLS_EXPORTER, EXPORTER),
        new ChannelBinding(ChannelBinding.TLS_SERVER_END_POINT, END_POINT)), DOMAIN, attempts);
  }

  private SaslFixtures() {}

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the stage did not complete", e);
    }
  }

  static void register(AccountStore store, String username, String password) {
    register(store, username,
        ScramCredentials.forPassword(password.toCharArray(), new SecureRandom()));
  }

  static void register(AccountStore store, String username,
      Map<String, StoredCredential> credentials) {
    assertThat(join(store.create(new Account(username, Instant.now(), credentials)))).isTrue();
  }
}

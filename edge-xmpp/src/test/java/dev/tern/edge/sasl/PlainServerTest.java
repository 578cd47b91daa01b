package dev.tern.edge.sasl;

import static dev.tern.edge.sasl.SaslFixtures.CLEAR;
import static dev.tern.edge.sasl.SaslFixtures.SECRET;
import static dev.tern.edge.sasl.SaslFixtures.TLS;
import static dev.tern.edge.sasl.SaslFixtures.bytes;
import static dev.tern.edge.sasl.SaslFixtures.join;
import static dev.tern.edge.sasl.SaslFixtures.register;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.edge.sasl.SaslStep.Challenge;
import dev.tern.edge.sasl.SaslStep.Failure;
import dev.tern.edge.sasl.SaslStep.Success;
import dev.tern.storage.accounts.InMemoryAccountStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainServerTest {

  private final InMemoryAccountStore accounts = new InMemoryAccountStore();
  private final SaslMechanisms mechanisms = SaslMechanisms.builder(accounts)
      .unknownUserSecret(SECRET)
      .passwordHashing(Runnable::run)
      .build();

  private SaslStep plain(String message) {
    return join(mechanisms.create("PLAIN", TLS).orElseThrow().start(bytes(message)));
  }

  @Test
  void plainIsRefusedOnAStreamWithoutTls() {
    register(accounts, "juliet", "r0m30myr0m30");
    SaslServer server = mechanisms.create("PLAIN", CLEAR).orElseThrow();

    assertThat(join(server.start(bytes("\u0000juliet\u0000r0m30myr0m30"))))
        .isEqualTo(new Failure(SaslFailure.ENCRYPTION_REQUIRED, "PLAIN is only offered over TLS"));
    assertThat(join(server.evaluate(bytes("\u0000juliet\u0000r0m30myr0m30"))))
        .isInstanceOf(Failure.class);
  }

  @Test
  void theRightPasswordAuthenticatesTheUser() {
    register(accounts, "juliet", "r0m30myr0m30");

    assertThat(plain("\u0000juliet\u0000r0m30myr0m30"))
        .isEqualTo(new Success(new byte[0], "juliet"));
  }

  @Test
  void theUsernameIsCaseMappedAndThePasswordNormalised() {
    register(accounts, "juliet", "r0m30 myr0m30");

    // U+00A0 NO-BREAK SPACE is mapped to U+0020 by the OpaqueString profile (RFC 8265 §4.2.1).
    assertThat(plain("\u0000JULIET\u0000r0m30\u00A0myr0m30"))
        .isEqualTo(new Success(new byte[0], "juliet"));
  }

  @Test
  void anAuthzidNamingTheUserItselfIsAccepted() {
    register(accounts, "juliet", "r0m30myr0m30");

    assertThat(plain("juliet@example.com\u0000juliet\u0000r0m30myr0m30"))
        .isInstanceOf(Success.class);
    assertThat(plain("juliet\u0000juliet\u0000r0m30myr0m30")).isInstanceOf(Success.class);
  }

  @Test
  void anAuthzidNamingSomebodyElseIsRefused() {
    register(accounts, "juliet", "r0m30myr0m30");

    SaslStep step = plain("romeo@example.com\u0000juliet\u0000r0m30myr0m30");

    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.INVALID_AUTHZID);
  }

  @Test
  void aWrongPasswordAndAnUnknownUserGetTheSameFailure() {
    register(accounts, "juliet", "r0m30myr0m30");

    SaslStep wrongPassword = plain("\u0000juliet\u0000wherefore");
    SaslStep unknownUser = plain("\u0000romeo\u0000r0m30myr0m30");

    assertThat(wrongPassword).isEqualTo(new Failure(SaslFailure.NOT_AUTHORIZED));
    assertThat(unknownUser).isEqualTo(wrongPassword);
  }

  @Test
  void aPasswordThatIsNotAnOpaqueStringIsNotAuthorized() {
    register(accounts, "juliet", "r0m30myr0m30");

    assertThat(plain("\u0000juliet\u0000r0m30\u0007myr0m30"))
        .isEqualTo(new Failure(SaslFailure.NOT_AUTHORIZED));
  }

  @Test
  void anAccountWithOnlyAScramSha1CredentialCanUsePlain() {
    register(accounts, "juliet", Map.of("SCRAM-SHA-1", ScramCredentials.derive(ScramHash.SHA_1,
        "r0m30myr0m30".toCharArray(), new byte[] {9, 8, 7, 6}, 4096)));

    assertThat(plain("\u0000juliet\u0000r0m30myr0m30")).isInstanceOf(Success.class);
    assertThat(plain("\u0000juliet\u0000r0m30myr0m31")).isInstanceOf(Failure.class);
  }

  @Test
  void withoutAnInitialResponseTheMessageComesAfterAnEmptyChallenge() {
    register(accounts, "juliet", "r0m30myr0m30");
    SaslServer server = mechanisms.create("PLAIN", TLS).orElseThrow();

    assertThat(join(server.start(new byte[0]))).isEqualTo(new Challenge(new byte[0]));
    assertThat(join(server.evaluate(bytes("\u0000juliet\u0000r0m30myr0m30"))))
        .isInstanceOf(Success.class);
  }

  @Test
  void theHashingRunsOnTheConfiguredExecutor() {
    register(accounts, "juliet", "r0m30myr0m30");
    List<Runnable> queued = new ArrayList<>();
    SaslServer server = SaslMechanisms.builder(accounts).unknownUserSecret(SECRET)
        .passwordHashing(queued::add).build()
        .create("PLAIN", TLS).orElseThrow();

    CompletableFuture<SaslStep> stage = server.start(bytes("\u0000juliet\u0000r0m30myr0m30")).toCompletableFuture();
    assertThat(stage).isNotDone();
    queued.forEach(Runnable::run);

    assertThat(stage).isCompletedWithValue(new Success(new byte[0], "juliet"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "juliet r0m30myr0m30",               // no NUL
      "\u0000juliet",                       // one NUL
      "\u0000juliet\u0000pass\u0000word",   // three NULs
      "\u0000\u0000r0m30myr0m30",           // empty authcid
      "\u0000juliet\u0000"                  // empty password
  })
  void aMessageThatIsNotAuthzidNulAuthcidNulPasswordIsMalformed(String message) {
    SaslStep step = plain(message);

    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.MALFORMED_REQUEST);
  }

  @Test
  void aMessageThatIsNotUtf8IsMalformed() {
    SaslServer server = mechanisms.create("PLAIN", TLS).orElseThrow();

    SaslStep step = join(server.start(new byte[] {0, 'j', 0, (byte) 0xFF, 'x'}));

    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.MALFORMED_REQUEST);
  }

  @Test
  void anOverlongPasswordIsMalformed() {
    SaslStep step = plain("\u0000juliet\u0000" + "x".repeat(PlainServer.MAX_PASSWORD_OCTETS + 1));

    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.MALFORMED_REQUEST);
  }
}

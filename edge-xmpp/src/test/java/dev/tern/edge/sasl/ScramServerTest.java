package dev.tern.edge.sasl;

import static dev.tern.edge.sasl.SaslFixtures.CLEAR;
import static dev.tern.edge.sasl.SaslFixtures.DOMAIN;
import static dev.tern.edge.sasl.SaslFixtures.END_POINT;
import static dev.tern.edge.sasl.SaslFixtures.EXPORTER;
import static dev.tern.edge.sasl.SaslFixtures.SECRET;
import static dev.tern.edge.sasl.SaslFixtures.TLS;
import static dev.tern.edge.sasl.SaslFixtures.bytes;
import static dev.tern.edge.sasl.SaslFixtures.join;
import static dev.tern.edge.sasl.SaslFixtures.register;
import static dev.tern.edge.sasl.SaslFixtures.text;
import static dev.tern.edge.sasl.SaslFixtures.tlsWithBindings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.edge.sasl.SaslStep.Challenge;
import dev.tern.edge.sasl.SaslStep.Failure;
import dev.tern.edge.sasl.SaslStep.Success;
import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.AccountStore;
import dev.tern.storage.accounts.InMemoryAccountStore;
import dev.tern.storage.accounts.StoredCredential;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScramServerTest {

  private final InMemoryAccountStore accounts = new InMemoryAccountStore();
  private final SaslMechanisms mechanisms = SaslMechanisms.of(accounts, SECRET);

  private SaslServer server(String mechanism, SaslContext context) {
    return mechanisms.create(mechanism, context).orElseThrow();
  }

  /** Runs a whole exchange with {@code client}; the last step the server took. */
  private static SaslStep exchange(SaslServer server, ScramClient client) {
    SaslStep first = join(server.start(client.clientFirst()));
    if (!(first instanceof Challenge challenge)) {
      return first;
    }
    return join(server.evaluate(client.clientFinal(challenge.data())));
  }

  private static Failure failure(SaslFailure condition, String text) {
    return new Failure(condition, text);
  }

  // RFC 5802 §5 and RFC 7677 §3

  @Test
  void theExampleOfRfc5802IsReproducedByteForByte() {
    register(accounts, "user", Map.of("SCRAM-SHA-1", ScramCredentials.derive(ScramHash.SHA_1,
        "pencil".toCharArray(), Base64.getDecoder().decode("QSXCR+Q6sek8bf92"), 4096)));
    SaslServer server = SaslMechanisms.builder(accounts).unknownUserSecret(SECRET)
        .nonces(() -> "3rfcNHYJY1ZVvWVs7j").build()
        .create("SCRAM-SHA-1", CLEAR).orElseThrow();

    SaslStep serverFirst = join(server.start(bytes("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL")));
    SaslStep serverFinal = join(server.evaluate(bytes(
        "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")));

    assertThat(serverFirst).isEqualTo(new Challenge(bytes(
        "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096")));
    assertThat(serverFinal).isEqualTo(
        new Success(bytes("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="), "user"));
  }

  @Test
  void theExampleOfRfc7677IsReproducedByteForByte() {
    register(accounts, "user", Map.of("SCRAM-SHA-256", ScramCredentials.derive(ScramHash.SHA_256,
        "pencil".toCharArray(), Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096)));
    SaslServer server = SaslMechanisms.builder(accounts).unknownUserSecret(SECRET)
        .nonces(() -> "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0").build()
        .create("SCRAM-SHA-256", CLEAR).orElseThrow();

    SaslStep serverFirst = join(server.start(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")));
    SaslStep serverFinal = join(server.evaluate(bytes("c=biws,"
        + "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
        + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")));

    assertThat(serverFirst).isEqualTo(new Challenge(bytes(
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")));
    assertThat(serverFinal).isEqualTo(
        new Success(bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="), "user"));
  }

  // Full exchanges

  @Test
  void aClientAuthenticatesWithEachHashWithoutChannelBinding() {
    register(accounts, "juliet", "r0m30myr0m30");

    for (ScramHash hash : ScramHash.values()) {
      ScramClient client = ScramClient.simple(hash, "juliet", "r0m30myr0m30");
      SaslStep last = exchange(server(hash.mechanismName(), TLS), client);

      assertThat(last).isInstanceOf(Success.class);
      assertThat(((Success) last).username()).isEqualTo("juliet");
      assertThat(client.serverIsAuthentic(((Success) last).additionalData())).isTrue();
    }
  }

  @Test
  void aClientBindsToTheTlsExporterWithScramSha256Plus() {
    register(accounts, "juliet", "r0m30myr0m30");
    ScramClient client = new ScramClient(ScramHash.SHA_256, "p=tls-exporter,,", EXPORTER,
        "juliet", "r0m30myr0m30", "abcdefgh");

    SaslStep last = exchange(server("SCRAM-SHA-256-PLUS", tlsWithBindings()), client);

    assertThat(last).isInstanceOf(Success.class);
    assertThat(client.serverIsAuthentic(((Success) last).additionalData())).isTrue();
  }

  @Test
  void aClientBindsToTheServerEndPointWithScramSha1Plus() {
    register(accounts, "juliet", "r0m30myr0m30");
    ScramClient client = new ScramClient(ScramHash.SHA_1, "p=tls-server-end-point,,", END_POINT,
        "juliet", "r0m30myr0m30", "abcdefgh");

    SaslStep last = exchange(server("SCRAM-SHA-1-PLUS", tlsWithBindings()), client);

    assertThat(last).isInstanceOf(Success.class);
    assertThat(client.serverIsAuthentic(((Success) last).additionalData())).isTrue();
  }

  @Test
  void anAuthzidInTheHeaderIsCoveredByTheChannelBindingAndMayNameTheUsersOwnJid() {
    register(accounts, "juliet", "r0m30myr0m30");
    for (String authzid : List.of("juliet", "juliet@example.com", "Juliet@EXAMPLE.com")) {
      ScramClient client = new ScramClient(ScramHash.SHA_256, "p=tls-exporter,a=" + authzid + ",",
          EXPORTER, "juliet", "r0m30myr0m30", "abcdefgh");

      assertThat(exchange(server("SCRAM-SHA-256-PLUS", tlsWithBindings()), client))
          .as(authzid).isInstanceOf(Success.class);
    }
  }

  @Test
  void aClientWithoutChannelBindingMayUseThePlainVariantWhereThePlusOneIsOffered() {
    register(accounts, "juliet", "r0m30myr0m30");

    assertThat(exchange(server("SCRAM-SHA-256", tlsWithBindings()),
        ScramClient.simple(ScramHash.SHA_256, "juliet", "r0m30myr0m30")))
        .isInstanceOf(Success.class);
  }

  @Test
  void aClientThatThinksTheServerCannotBindIsAcceptedWhereNoPlusVariantWasOffered() {
    register(accounts, "juliet", "r0m30myr0m30");
    ScramClient client = new ScramClient(ScramHash.SHA_256, "y,,", new byte[0],
        "juliet", "r0m30myr0m30", "abcdefgh");

    assertThat(exchange(server("SCRAM-SHA-256", TLS), client)).isInstanceOf(Success.class);
  }

  @Test
  void anEmptyAuthGetsAnEmptyChallengeAndTheClientFirstMessageComesAsAResponse() {
    register(accounts, "juliet", "r0m30myr0m30");
    ScramClient client = ScramClient.simple(ScramHash.SHA_256, "juliet", "r0m30myr0m30");
    SaslServer server = server("SCRAM-SHA-256", TLS);

    assertThat(join(server.start(new byte[0]))).isEqualTo(new Challenge(new byte[0]));
    SaslStep serverFirst = join(server.evaluate(client.clientFirst()));
    SaslStep last = join(server.evaluate(client.clientFinal(((Challenge) serverFirst).data())));

    assertThat(last).isInstanceOf(Success.class);
  }

  // Usernames (RFC 5802 §5.1, RFC 8265 §3.3)

  @Test
  void commasAndEqualsSignsInTheUsernameAreEscaped() {
    register(accounts, "a,b=c", "secret-password");
    ScramClient client = ScramClient.simple(ScramHash.SHA_256, "a=2Cb=3Dc", "secret-password");

    SaslStep last = exchange(server("SCRAM-SHA-256", TLS), client);

    assertThat(last).isInstanceOf(Success.class);
    assertThat(((Success) last).username()).isEqualTo("a,b=c");
  }

  @Test
  void theUsernameIsCaseMappedBeforeTheLookup() {
    register(accounts, "juliet", "r0m30myr0m30");

    SaslStep last = exchange(server("SCRAM-SHA-256", TLS),
        ScramClient.simple(ScramHash.SHA_256, "JuLiEt", "r0m30myr0m30"));

    assertThat(last).isInstanceOf(Success.class);
    assertThat(((Success) last).username()).isEqualTo("juliet");
  }

  @ParameterizedTest
  @ValueSource(strings = {"n,,n=a=2Db,r=abc", "n,,n=a=,r=abc", "n,,n=a=3,r=abc"})
  void anEqualsSignThatEscapesNeitherCommaNorEqualsIsMalformed(String clientFirst) {
    SaslStep step = join(server("SCRAM-SHA-256", TLS).start(bytes(clientFirst)));

    assertThat(step).isInstanceOf(Failure.class);
    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.MALFORMED_REQUEST);
    assertThat(((Failure) step).text()).startsWith("invalid-username-encoding");
  }

  // Wrong and unknown users

  @Test
  void aWrongPasswordIsNotAuthorized() {
    register(accounts, "juliet", "r0m30myr0m30");

    assertThat(exchange(server("SCRAM-SHA-256", TLS),
        ScramClient.simple(ScramHash.SHA_256, "juliet", "wrong password")))
        .isEqualTo(failure(SaslFailure.NOT_AUTHORIZED, "invalid-proof"));
  }

  @Test
  void anUnknownUserGetsTheSameChallengeShapeAndTheSameFailureAsAWrongPassword() {
    register(accounts, "juliet", "r0m30myr0m30");
    CountingStore counting = new CountingStore(accounts);
    SaslMechanisms mechanisms = SaslMechanisms.of(counting, SECRET);

    List<String> serverFirsts = new ArrayList<>();
    List<SaslStep> outcomes = new ArrayList<>();
    for (String user : List.of("juliet", "romeo")) {
      SaslServer server = mechanisms.create("SCRAM-SHA-256", TLS).orElseThrow();
      ScramClient client = ScramClient.simple(ScramHash.SHA_256, user, "wrong password");
      Challenge challenge = (Challenge) join(server.start(client.clientFirst()));
      serverFirsts.add(text(challenge.data()));
      outcomes.add(join(server.evaluate(client.clientFinal(challenge.data()))));
    }

    assertThat(counting.lookups).containsExactly("juliet", "romeo");
    assertThat(outcomes).containsOnly(failure(SaslFailure.NOT_AUTHORIZED, "invalid-proof"));
    for (String serverFirst : serverFirsts) {
      Map<Character, String> attributes = ScramClient.attributes(serverFirst);
      assertThat(Base64.getDecoder().decode(attributes.get('s')))
          .hasSize(ScramCredentials.SALT_LENGTH);
      assertThat(attributes.get('i')).isEqualTo(String.valueOf(ScramHash.DEFAULT_ITERATIONS));
      assertThat(attributes.get('r')).hasSize("clientNonce123".length() + 24);
    }
  }

  @Test
  void theSaltOfAnUnknownUserIsTheSameEveryTimeAndAtEveryEdgeWithTheSameSecret() {
    byte[] otherSecret = "another secret of thirty-two by!".getBytes();

    String first = salt(SaslMechanisms.of(accounts, SECRET), "romeo");
    String again = salt(SaslMechanisms.of(new InMemoryAccountStore(), SECRET), "romeo");
    String otherUser = salt(SaslMechanisms.of(accounts, SECRET), "mercutio");
    String otherSecretSalt = salt(SaslMechanisms.of(accounts, otherSecret), "romeo");

    assertThat(again).isEqualTo(first);
    assertThat(otherUser).isNotEqualTo(first);
    assertThat(otherSecretSalt).isNotEqualTo(first);
  }

  private static String salt(SaslMechanisms mechanisms, String user) {
    SaslServer server = mechanisms.create("SCRAM-SHA-256", TLS).orElseThrow();
    Challenge c = (Challenge) join(server.start(bytes("n,,n=" + user + ",r=abc")));
    return ScramClient.attributes(text(c.data())).get('s');
  }

  @Test
  void anAccountWithoutACredentialForTheHashIsTreatedAsUnknown() {
    StoredCredential only256 = ScramCredentials.derive(ScramHash.SHA_256,
        "r0m30myr0m30".toCharArray(), new byte[] {1, 2, 3, 4}, 4096);
    register(accounts, "juliet", Map.of("SCRAM-SHA-256", only256));

    assertThat(exchange(server("SCRAM-SHA-1", TLS),
        ScramClient.simple(ScramHash.SHA_1, "juliet", "r0m30myr0m30")))
        .isEqualTo(failure(SaslFailure.NOT_AUTHORIZED, "invalid-proof"));
  }

  @Test
  void aNameThatCannotBeALocalpartFailsLikeAnUnknownUser() {
    assertThat(exchange(server("SCRAM-SHA-256", TLS),
        ScramClient.simple(ScramHash.SHA_256, "juliet@example.com", "r0m30myr0m30")))
        .isEqualTo(failure(SaslFailure.NOT_AUTHORIZED, "invalid-proof"));
  }

  @Test
  void aStoreThatDoesNotAnswerIsATemporaryFailure() {
    AccountStore broken = new CountingStore(accounts) {
      @Override
      public CompletionStage<Optional<Account>> find(String username) {
        return CompletableFuture.failedFuture(new IllegalStateException("no Cassandra"));
      }
    };
    SaslServer server = SaslMechanisms.of(broken, SECRET).create("SCRAM-SHA-256", TLS)
        .orElseThrow();

    SaslStep step = join(server.start(bytes("n,,n=juliet,r=abc")));

    assertThat(step).isInstanceOf(Failure.class);
    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.TEMPORARY_AUTH_FAILURE);
  }

  // Authorization identity (RFC 6120 §6.3.8)

  @ParameterizedTest
  @ValueSource(strings = {"romeo", "romeo@example.com", "juliet@example.org",
      "juliet@example.com/balcony", "a=b"})
  void anAuthzidOtherThanTheUsersOwnIsRefused(String authzid) {
    register(accounts, "juliet", "r0m30myr0m30");
    ScramClient client = new ScramClient(ScramHash.SHA_256, "n,a=" + authzid.replace("=", "=3D")
        + ",", new byte[0], "juliet", "r0m30myr0m30", "abcdefgh");

    SaslStep step = join(server("SCRAM-SHA-256", TLS).start(client.clientFirst()));

    assertThat(step).isInstanceOf(Failure.class);
    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.INVALID_AUTHZID);
  }

  // Channel binding (RFC 5802 §6)

  @Test
  void aClientThatThinksTheServerCannotBindIsRefusedWhenThePlusVariantWasOffered() {
    register(accounts, "juliet", "r0m30myr0m30");
    ScramClient client = new ScramClient(ScramHash.SHA_256, "y,,", new byte[0],
        "juliet", "r0m30myr0m30", "abcdefgh");

    assertThat(join(server("SCRAM-SHA-256", tlsWithBindings()).start(client.clientFirst())))
        .isEqualTo(failure(SaslFailure.NOT_AUTHORIZED, "server-does-support-channel-binding"));
  }

  @Test
  void yIsAcceptedOnAStreamWhereTheClientAskedForABindingTypeNotOffered() {
    register(accounts, "juliet", "r0m30myr0m30");
    BindingAttempts stream = new BindingAttempts();
    assertThat(join(server("SCRAM-SHA-256-PLUS", tlsWithBindings(stream))
        .start(bytes("p=tls-unique,,n=juliet,r=abc"))))
        .isEqualTo(failure(SaslFailure.NOT_AUTHORIZED,
            "unsupported-channel-binding-type: tls-unique"));
    ScramClient client = new ScramClient(ScramHash.SHA_256, "y,,", new byte[0],
        "juliet", "r0m30myr0m30", "abcdefgh");

    SaslStep last = exchange(server("SCRAM-SHA-256", tlsWithBindings(stream)), client);

    assertThat(last).isInstanceOf(Success.class);
    assertThat(client.serverIsAuthentic(((Success) last).additionalData())).isTrue();
  }

  @Test
  void yIsRefusedOnAStreamWhoseEarlierPlusAttemptFailedForAnotherReason() {
    register(accounts, "juliet", "r0m30myr0m30");
    BindingAttempts stream = new BindingAttempts();
    ScramClient otherChannel = new ScramClient(ScramHash.SHA_256, "p=tls-exporter,,",
        bytes("the exporter of the attacker's TLS"), "juliet", "r0m30myr0m30", "abcdefgh");
    exchange(server("SCRAM-SHA-256-PLUS", tlsWithBindings(stream)), otherChannel);
    ScramClient client = new ScramClient(ScramHash.SHA_256, "y,,", new byte[0],
        "juliet", "r0m30myr0m30", "abcdefgh");

    assertThat(join(server("SCRAM-SHA-256", tlsWithBindings(stream)).start(client.clientFirst())))
        .isEqualTo(failure(SaslFailure.NOT_AUTHORIZED, "server-does-support-channel-binding"));
  }

  @Test
  void aChannelBindingTypeTheConnectionDoesNotHaveIsRefused() {
    SaslContext exporterOnly = new SaslContext(true,
        List.of(new ChannelBinding(ChannelBinding.TLS_EXPORTER, EXPORTER)), DOMAIN);

    SaslStep step = join(server("SCRAM-SHA-256-PLUS", exporterOnly)
        .start(bytes("p=tls-server-end-point,,n=juliet,r=abc")));
    SaslStep unique = join(server("SCRAM-SHA-256-PLUS", exporterOnly)
        .start(bytes("p=tls-unique,,n=juliet,r=abc")));

    assertThat(step).isEqualTo(failure(SaslFailure.NOT_AUTHORIZED,
        "unsupported-channel-binding-type: tls-server-end-point"));
    assertThat(((Failure) unique).condition()).isEqualTo(SaslFailure.NOT_AUTHORIZED);
  }

  @Test
  void channelBindingDataOfAnotherConnectionIsRefused() {
    register(accounts, "juliet", "r0m30myr0m30");
    ScramClient client = new ScramClient(ScramHash.SHA_256, "p=tls-exporter,,",
        bytes("the exporter of the attacker's TLS"), "juliet", "r0m30myr0m30", "abcdefgh");

    assertThat(exchange(server("SCRAM-SHA-256-PLUS", tlsWithBindings()), client))
        .isEqualTo(failure(SaslFailure.NOT_AUTHORIZED, "channel-bindings-dont-match"));
  }

  @Test
  void aGs2HeaderInTheFinalMessageOtherThanTheOneSentFirstIsRefused() {
    register(accounts, "juliet", "r0m30myr0m30");
    SaslServer server = server("SCRAM-SHA-256", TLS);
    Challenge challenge = (Challenge) join(server.start(bytes("n,,n=juliet,r=abc")));
    String nonce = ScramClient.attributes(text(challenge.data())).get('r');

    // "eSws" is base64("y,,"): the header the client claims to have sent is not the one it sent.
    SaslStep step = join(server.evaluate(bytes("c=eSws,r=" + nonce + ",p=AAAA")));

    assertThat(step).isEqualTo(failure(SaslFailure.NOT_AUTHORIZED, "channel-bindings-dont-match"));
  }

  @Test
  void thePlusVariantWithoutAChannelBindingFlagIsMalformed() {
    for (String header : List.of("n,,", "y,,")) {
      SaslStep step = join(server("SCRAM-SHA-256-PLUS", tlsWithBindings())
          .start(bytes(header + "n=juliet,r=abc")));

      assertThat(((Failure) step).condition()).as(header)
          .isEqualTo(SaslFailure.MALFORMED_REQUEST);
    }
  }

  @Test
  void channelBindingRequestedWithTheVariantWithoutPlusIsMalformed() {
    SaslStep step = join(server("SCRAM-SHA-256", tlsWithBindings())
        .start(bytes("p=tls-exporter,,n=juliet,r=abc")));

    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.MALFORMED_REQUEST);
  }

  // Nonces

  @Test
  void aFinalMessageWithAModifiedNonceIsRefused() {
    register(accounts, "juliet", "r0m30myr0m30");
    SaslServer server = server("SCRAM-SHA-256", TLS);
    ScramClient client = ScramClient.simple(ScramHash.SHA_256, "juliet", "r0m30myr0m30");
    Challenge challenge = (Challenge) join(server.start(client.clientFirst()));
    String serverFirst = text(challenge.data());
    String tampered = serverFirst.replaceFirst("r=([^,]*)", "r=$1x");

    SaslStep step = join(server.evaluate(client.clientFinal(bytes(tampered))));

    assertThat(step).isInstanceOf(Failure.class);
    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.NOT_AUTHORIZED);
  }

  @Test
  void aReplayedFinalMessageFromAnEarlierExchangeIsRefused() {
    register(accounts, "juliet", "r0m30myr0m30");
    ScramClient client = ScramClient.simple(ScramHash.SHA_256, "juliet", "r0m30myr0m30");
    SaslServer first = server("SCRAM-SHA-256", TLS);
    byte[] recorded = client.clientFinal(
        ((Challenge) join(first.start(client.clientFirst()))).data());
    assertThat(join(first.evaluate(recorded))).isInstanceOf(Success.class);

    SaslServer second = server("SCRAM-SHA-256", TLS);
    join(second.start(client.clientFirst()));
    SaslStep replayed = join(second.evaluate(recorded));

    assertThat(replayed).isInstanceOf(Failure.class);
    assertThat(((Failure) replayed).condition()).isEqualTo(SaslFailure.NOT_AUTHORIZED);
  }

  // Malformed messages (RFC 5802 §7)

  @ParameterizedTest
  @ValueSource(strings = {
      "n=juliet,r=abc",              // no gs2-header
      "x,,n=juliet,r=abc",           // unknown gs2-cbind-flag
      "p=,,n=juliet,r=abc",          // empty cb-name
      "p=tls exporter,,n=juliet,r=abc",
      "n,b=juliet,n=juliet,r=abc",   // authzid attribute that is not a=
      "n,,",                         // no client-first-message-bare
      "n,,r=abc",                    // no username
      "n,,n=,r=abc",                 // empty username
      "n,,n=juliet",                 // no nonce
      "n,,n=juliet,r=",              // empty nonce
      "n,,n=juliet,r=a b",           // nonce not printable
      "n,,n=juliet,r=abc,",          // empty extension
      "n,,n=juliet,r=abc,1=x",       // extension name not ALPHA
      "n,,r=abc,n=juliet",           // attributes out of order
      "n,,n=jul\u0000iet,r=abc"      // NUL
  })
  void aMalformedClientFirstMessageIsAMalformedRequest(String clientFirst) {
    SaslStep step = join(server("SCRAM-SHA-256", TLS).start(bytes(clientFirst)));

    assertThat(step).isInstanceOf(Failure.class);
    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.MALFORMED_REQUEST);
  }

  @Test
  void aMandatoryExtensionIsNotSupported() {
    SaslStep step = join(server("SCRAM-SHA-256", TLS).start(bytes("n,,m=ext,n=juliet,r=abc")));

    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.MALFORMED_REQUEST);
    assertThat(((Failure) step).text()).startsWith("extensions-not-supported");
  }

  @Test
  void aClientFirstMessageThatIsNotUtf8IsMalformed() {
    SaslStep step = join(server("SCRAM-SHA-256", TLS)
        .start(new byte[] {'n', ',', ',', 'n', '=', (byte) 0xC3, ',', 'r', '=', 'a'}));

    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.MALFORMED_REQUEST);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "c=biws,r=%s",                   // no proof
      "r=%s,c=biws,p=AAAA",            // attributes out of order
      "c=biws,p=AAAA",                 // no nonce
      "c=biws,r=%s,p=AAAA,x=y",        // proof not last
      "c=biws,r=%s,,p=AAAA"            // empty extension
  })
  void aMalformedClientFinalMessageIsAMalformedRequest(String template) {
    register(accounts, "juliet", "r0m30myr0m30");
    SaslServer server = server("SCRAM-SHA-256", TLS);
    Challenge challenge = (Challenge) join(server.start(bytes("n,,n=juliet,r=abc")));
    String nonce = ScramClient.attributes(text(challenge.data())).get('r');

    SaslStep step = join(server.evaluate(bytes(template.formatted(nonce))));

    assertThat(step).isInstanceOf(Failure.class);
    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.MALFORMED_REQUEST);
  }

  @Test
  void anEmptyClientFinalMessageIsAMalformedRequestThatSaysItIsEmpty() {
    register(accounts, "juliet", "r0m30myr0m30");
    SaslServer server = server("SCRAM-SHA-256", TLS);
    join(server.start(bytes("n,,n=juliet,r=abc")));

    assertThat(join(server.evaluate(new byte[0]))).isEqualTo(failure(
        SaslFailure.MALFORMED_REQUEST, "invalid-encoding: the client-final-message is empty"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"c=biws,r=%s,p=not*base64", "c=bi,r=%s,p=AAAA", "c=,r=%s,p=AAAA"})
  void badBase64InsideTheFinalMessageIsAnIncorrectEncoding(String template) {
    register(accounts, "juliet", "r0m30myr0m30");
    SaslServer server = server("SCRAM-SHA-256", TLS);
    Challenge challenge = (Challenge) join(server.start(bytes("n,,n=juliet,r=abc")));
    String nonce = ScramClient.attributes(text(challenge.data())).get('r');

    SaslStep step = join(server.evaluate(bytes(template.formatted(nonce))));

    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.INCORRECT_ENCODING);
  }

  @Test
  void aProofOfTheWrongLengthIsNotAuthorized() {
    register(accounts, "juliet", "r0m30myr0m30");
    SaslServer server = server("SCRAM-SHA-256", TLS);
    Challenge challenge = (Challenge) join(server.start(bytes("n,,n=juliet,r=abc")));
    String nonce = ScramClient.attributes(text(challenge.data())).get('r');

    SaslStep step = join(server.evaluate(bytes("c=biws,r=" + nonce + ",p=AAAA")));

    assertThat(step).isEqualTo(failure(SaslFailure.NOT_AUTHORIZED, "invalid-proof"));
  }

  @Test
  void aResponseAfterTheExchangeEndedIsMalformed() {
    register(accounts, "juliet", "r0m30myr0m30");
    SaslServer server = server("SCRAM-SHA-256", TLS);
    ScramClient client = ScramClient.simple(ScramHash.SHA_256, "juliet", "r0m30myr0m30");
    assertThat(exchange(server, client)).isInstanceOf(Success.class);

    SaslStep step = join(server.evaluate(bytes("c=biws,r=abc,p=AAAA")));

    assertThat(((Failure) step).condition()).isEqualTo(SaslFailure.MALFORMED_REQUEST);
  }

  /** Delegates to a store and records which names were looked up. */
  private static class CountingStore implements AccountStore {
    final List<String> lookups = new ArrayList<>();
    private final AccountStore delegate;

    CountingStore(AccountStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletionStage<Boolean> create(Account account) {
      return delegate.create(account);
    }

    @Override
    public CompletionStage<Optional<Account>> find(String username) {
      lookups.add(username);
      return delegate.find(username);
    }

    @Override
    public CompletionStage<Boolean> replaceCredentials(
        String username, Map<String, StoredCredential> credentials) {
      return delegate.replaceCredentials(username, credentials);
    }

    @Override
    public CompletionStage<Boolean> delete(String username) {
      return delegate.delete(username);
    }
  }
}

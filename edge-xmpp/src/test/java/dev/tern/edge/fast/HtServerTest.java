package dev.tern.edge.fast;

import static dev.tern.edge.fast.FastFixtures.DOMAIN;
import static dev.tern.edge.fast.FastFixtures.EXPORTER;
import static dev.tern.edge.fast.FastFixtures.LAPTOP;
import static dev.tern.edge.fast.FastFixtures.PHONE;
import static dev.tern.edge.fast.FastFixtures.START;
import static dev.tern.edge.fast.FastFixtures.TLS;
import static dev.tern.edge.fast.FastFixtures.TLS_WITH_BINDINGS;
import static dev.tern.edge.fast.FastFixtures.cbData;
import static dev.tern.edge.fast.FastFixtures.hmac;
import static dev.tern.edge.fast.FastFixtures.initiator;
import static dev.tern.edge.fast.FastFixtures.join;
import static dev.tern.edge.fast.FastFixtures.run;
import static dev.tern.edge.fast.FastFixtures.text;
import static dev.tern.edge.fast.FastFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.edge.fast.FastFixtures.MutableClock;
import dev.tern.edge.sasl.ChannelBinding;
import dev.tern.edge.sasl.SaslContext;
import dev.tern.edge.sasl.SaslFailure;
import dev.tern.edge.sasl.SaslServer;
import dev.tern.edge.sasl.SaslStep;
import dev.tern.storage.accounts.InMemoryAccountStore;
import dev.tern.storage.fast.FastToken;
import dev.tern.storage.fast.FastTokenStore;
import dev.tern.storage.fast.InMemoryFastTokenStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The HT-SHA-256-* mechanisms (draft-schmaus-kitten-sasl-ht) as FAST (XEP-0484) runs them. */
class HtServerTest {

  private final MutableClock clock = new MutableClock(START);
  private final InMemoryFastTokenStore store = new InMemoryFastTokenStore(clock);
  private final InMemoryAccountStore accounts = FastFixtures.accounts();
  private final FastTokens fast = FastTokens.builder(store, accounts).clock(clock).build();

  private FastToken issue(String mechanism) {
    return join(fast.issue("juliet", PHONE, mechanism));
  }

  private SaslServer server(String mechanism) {
    return fast.server(mechanism, TLS_WITH_BINDINGS, PHONE).orElseThrow();
  }

  private static SaslStep.Failure failure(SaslStep step) {
    assertThat(step).isInstanceOf(SaslStep.Failure.class);
    return (SaslStep.Failure) step;
  }

  @ParameterizedTest
  @EnumSource(HtMechanism.class)
  void eachVariantAuthenticatesInOneRoundTripOverItsChannelBinding(HtMechanism m) {
    FastToken token = issue(m.mechanismName());
    SaslServer server = server(m.mechanismName());

    SaslStep step = run(server, initiator("juliet", text(token), cbData(m)));

    assertThat(server.mechanism()).isEqualTo(m.mechanismName());
    assertThat(step).isEqualTo(new SaslStep.Success(
        hmac(token.secret(), "Responder", cbData(m)), "juliet"));
  }

  @Test
  void theMessagesMatchVectorsComputedElsewhere() {
    // HMAC-SHA-256 computed with Python's hmac module for the token of XEP-0484's example.
    String tokenText = "WXZzciBwYmFmdmZnZiBqdmd1IGp2eXFhcmZm";
    HexFormat hex = HexFormat.of();
    store.put(new FastToken("juliet", PHONE, "HT-SHA-256-NONE", utf8(tokenText),
        START.plus(Duration.ofDays(1))));
    store.put(new FastToken("juliet", LAPTOP, "HT-SHA-256-EXPR", utf8(tokenText),
        START.plus(Duration.ofDays(1))));
    byte[] none = hex.parseHex("9097787461a184e0fa84ec00c1381190b6c4d16a8ec4453c7b2ac5e7fcf935ed");
    byte[] expr = hex.parseHex("ebe88f69c9e6b1f399663f407505c70a8ca9c5b46e878e93c0cc893f4d7611e0");

    assertThat(run(server("HT-SHA-256-NONE"), message("juliet", none)))
        .isEqualTo(new SaslStep.Success(hex.parseHex(
            "4e513409631474863b986c9f3e8c1e27ca29d1d7ab9ed4097e7afd6007bf9c62"), "juliet"));
    assertThat(run(fast.server("HT-SHA-256-EXPR", TLS_WITH_BINDINGS, LAPTOP).orElseThrow(),
        message("juliet", expr)))
        .isEqualTo(new SaslStep.Success(hex.parseHex(
            "e54a983add366ef72f5245fd991c70e643cd9313efb50a0d87bca050bac80d15"), "juliet"));
  }

  private static byte[] message(String authcid, byte[] hashedToken) {
    byte[] name = utf8(authcid);
    byte[] out = new byte[name.length + 1 + hashedToken.length];
    System.arraycopy(name, 0, out, 0, name.length);
    System.arraycopy(hashedToken, 0, out, name.length + 1, hashedToken.length);
    return out;
  }

  @Test
  void withoutAnInitialResponseTheServerAsksForItWithAnEmptyChallenge() {
    FastToken token = issue("HT-SHA-256-NONE");
    SaslServer server = server("HT-SHA-256-NONE");

    assertThat(run(server, new byte[0])).isEqualTo(new SaslStep.Challenge(new byte[0]));
    SaslStep step = join(server.evaluate(initiator("juliet", text(token), new byte[0])));

    assertThat(step).isInstanceOf(SaslStep.Success.class);
  }

  @Test
  void theAuthcidIsPreparedAsAUsername() {
    FastToken token = issue("HT-SHA-256-NONE");

    SaslStep step = run(server("HT-SHA-256-NONE"), initiator("Juliet", text(token), new byte[0]));

    assertThat(step).isInstanceOfSatisfying(SaslStep.Success.class,
        s -> assertThat(s.username()).isEqualTo("juliet"));
  }

  @Test
  void aTokenOfARemovedAccountIsNotAuthorized() {
    FastToken token = issue("HT-SHA-256-NONE");
    join(accounts.delete("juliet"));

    SaslStep step = run(server("HT-SHA-256-NONE"), initiator("juliet", text(token), new byte[0]));

    assertThat(failure(step).condition()).isEqualTo(SaslFailure.NOT_AUTHORIZED);
  }

  @Test
  void aPasswordChangeRevokesTheTokensIssuedBeforeItNotThoseAfter() {
    FastToken before = issue("HT-SHA-256-NONE");
    join(accounts.replaceCredentials("juliet", java.util.Map.of())); // changed now
    assertThat(failure(run(server("HT-SHA-256-NONE"),
        initiator("juliet", text(before), new byte[0]))).condition())
        .isEqualTo(SaslFailure.NOT_AUTHORIZED);

    clock.advance(Duration.between(START, java.time.Instant.now()).plusSeconds(1));
    FastToken after = issue("HT-SHA-256-NONE");

    assertThat(run(server("HT-SHA-256-NONE"), initiator("juliet", text(after), new byte[0])))
        .isInstanceOf(SaslStep.Success.class);
  }

  @Test
  void aTokenIssuedRightAfterItsAccountWasCreatedOpensASession() {
    clock.advance(Duration.ofMillis(700));
    join(accounts.create(new dev.tern.storage.accounts.Account("mercutio", clock.instant(),
        java.util.Map.of())));
    clock.advance(Duration.ofMillis(100)); // same second: the expiry keeps its milliseconds
    FastToken token = join(fast.issue("mercutio", PHONE, "HT-SHA-256-NONE"));

    assertThat(run(server("HT-SHA-256-NONE"), initiator("mercutio", text(token), new byte[0])))
        .isInstanceOf(SaslStep.Success.class);
  }

  @Test
  void aWrongTokenIsNotAuthorized() {
    issue("HT-SHA-256-NONE");

    SaslStep step = run(server("HT-SHA-256-NONE"),
        initiator("juliet", "not-the-token", new byte[0]));

    assertThat(step).isEqualTo(new SaslStep.Failure(SaslFailure.NOT_AUTHORIZED, ""));
  }

  @Test
  void anUnknownUserIsAnsweredAsAWrongTokenIs() {
    FastToken token = issue("HT-SHA-256-NONE");

    assertThat(run(server("HT-SHA-256-NONE"), initiator("romeo", text(token), new byte[0])))
        .isEqualTo(new SaslStep.Failure(SaslFailure.NOT_AUTHORIZED, ""));
    assertThat(run(server("HT-SHA-256-NONE"), initiator("a@b", text(token), new byte[0])))
        .isEqualTo(new SaslStep.Failure(SaslFailure.NOT_AUTHORIZED, ""));
  }

  @Test
  void aTokenWorksOnlyWithTheMechanismItWasIssuedFor() {
    FastToken token = issue("HT-SHA-256-ENDP");

    // XEP-0484 §3.4: a channel-binding token must not be usable without channel binding.
    SaslStep step = run(server("HT-SHA-256-NONE"), initiator("juliet", text(token), new byte[0]));

    assertThat(failure(step).condition()).isEqualTo(SaslFailure.NOT_AUTHORIZED);
  }

  @Test
  void aTokenWorksOnlyOnTheDeviceItWasIssuedTo() {
    FastToken token = issue("HT-SHA-256-NONE");
    SaslServer laptop = fast.server("HT-SHA-256-NONE", TLS, LAPTOP).orElseThrow();

    SaslStep step = run(laptop, initiator("juliet", text(token), new byte[0]));

    assertThat(failure(step).condition()).isEqualTo(SaslFailure.NOT_AUTHORIZED);
  }

  @Test
  void anHmacOverAnotherChannelIsNotAuthorized() {
    FastToken token = issue("HT-SHA-256-EXPR");
    byte[] otherChannel = utf8("tls-exporter of a man in between");

    SaslStep step = run(server("HT-SHA-256-EXPR"), initiator("juliet", text(token), otherChannel));

    assertThat(failure(step).condition()).isEqualTo(SaslFailure.NOT_AUTHORIZED);
  }

  @Test
  void anExpiredTokenIsNotAuthorized() {
    FastToken token = issue("HT-SHA-256-NONE");
    clock.advance(fast.lifetime());

    SaslStep step = run(server("HT-SHA-256-NONE"), initiator("juliet", text(token), new byte[0]));

    assertThat(failure(step).condition()).isEqualTo(SaslFailure.NOT_AUTHORIZED);
  }

  @Test
  void aTokenThatTheStoreStillHasButThatHasExpiredIsCredentialsExpired() {
    FastToken token = issue("HT-SHA-256-NONE");
    MutableClock later = new MutableClock(token.expires());
    FastTokens lateEdge = FastTokens.builder(store, accounts).clock(later).build();

    SaslStep step = run(lateEdge.server("HT-SHA-256-NONE", TLS, PHONE).orElseThrow(),
        initiator("juliet", text(token), new byte[0]));

    assertThat(failure(step).condition()).isEqualTo(SaslFailure.CREDENTIALS_EXPIRED);
  }

  @Test
  void aMessageWithoutTheSeparatorOrAPartIsMalformedRequest() {
    issue("HT-SHA-256-NONE");
    byte[] hash = new byte[32];
    byte[] badUtf8 = message("juliet", hash);
    badUtf8[0] = (byte) 0xc3;
    badUtf8[1] = (byte) 0x28;

    for (byte[] m : List.of(utf8("juliet"), message("", hash), message("juliet", new byte[0]),
        badUtf8)) {
      assertThat(failure(run(server("HT-SHA-256-NONE"), m)).condition())
          .isEqualTo(SaslFailure.MALFORMED_REQUEST);
    }
  }

  @Test
  void aHashedTokenOfTheWrongLengthIsNotAuthorized() {
    FastToken token = issue("HT-SHA-256-NONE");
    byte[] full = hmac(token.secret(), "Initiator", new byte[0]);
    byte[] truncated = Arrays.copyOf(full, 31);

    assertThat(failure(run(server("HT-SHA-256-NONE"), message("juliet", truncated))).condition())
        .isEqualTo(SaslFailure.NOT_AUTHORIZED);
  }

  @Test
  void aStoreThatCannotAnswerIsATemporaryFailure() {
    FastTokenStore broken = new FastTokenStore() {
      @Override
      public CompletionStage<Void> put(FastToken t) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletionStage<List<FastToken>> find(String username, String deviceId) {
        return CompletableFuture.failedFuture(new IllegalStateException("Cassandra is down"));
      }

      @Override
      public CompletionStage<Void> delete(String username, String deviceId, byte[] secret) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletionStage<Void> deleteAll(String username, String deviceId) {
        return CompletableFuture.completedFuture(null);
      }
    };
    SaslServer server = FastTokens.of(broken, accounts).server("HT-SHA-256-NONE", TLS, PHONE).orElseThrow();

    SaslStep step = run(server, initiator("juliet", "token", new byte[0]));

    assertThat(failure(step).condition()).isEqualTo(SaslFailure.TEMPORARY_AUTH_FAILURE);
  }

  @Test
  void afterTheOutcomeNoResponseIsExpectedAndStartingAgainIsAnError() {
    FastToken token = issue("HT-SHA-256-NONE");
    SaslServer server = server("HT-SHA-256-NONE");
    run(server, initiator("juliet", text(token), new byte[0]));

    assertThat(failure(join(server.evaluate(new byte[] {1}))).condition())
        .isEqualTo(SaslFailure.MALFORMED_REQUEST);
    assertThatThrownBy(() -> server.start(new byte[] {1}))
        .isInstanceOf(IllegalStateException.class);
  }

  // ---- which mechanisms a stream gets ----

  @Test
  void channelBindingVariantsAreOfferedOnlyWithTheirBindingAndNothingWithoutTls() {
    assertThat(fast.mechanisms(FastFixtures.CLEAR)).isEmpty();
    assertThat(fast.feature(FastFixtures.CLEAR)).isEmpty();
    assertThat(fast.mechanisms(TLS)).containsExactly("HT-SHA-256-NONE");
    assertThat(fast.mechanisms(TLS_WITH_BINDINGS)).containsExactly(
        "HT-SHA-256-EXPR", "HT-SHA-256-ENDP", "HT-SHA-256-UNIQ", "HT-SHA-256-NONE");
    assertThat(fast.mechanisms(new SaslContext(true,
        List.of(new ChannelBinding(ChannelBinding.TLS_EXPORTER, EXPORTER)), DOMAIN)))
        .containsExactly("HT-SHA-256-EXPR", "HT-SHA-256-NONE");
  }

  @Test
  void noServerIsMadeForAMechanismNotOfferedOnTheStream() {
    assertThat(fast.server("HT-SHA-256-ENDP", TLS, PHONE)).isEmpty();
    assertThat(fast.server("HT-SHA-256-NONE", FastFixtures.CLEAR, PHONE)).isEmpty();
    assertThat(fast.server("SCRAM-SHA-256", TLS_WITH_BINDINGS, PHONE)).isEmpty();
    assertThat(fast.server("HT-SHA-512-NONE", TLS_WITH_BINDINGS, PHONE)).isEmpty();
  }
}

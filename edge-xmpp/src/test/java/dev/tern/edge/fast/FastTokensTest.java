package dev.tern.edge.fast;

import static dev.tern.edge.fast.FastFixtures.LAPTOP;
import static dev.tern.edge.fast.FastFixtures.PHONE;
import static dev.tern.edge.fast.FastFixtures.START;
import static dev.tern.edge.fast.FastFixtures.TLS;
import static dev.tern.edge.fast.FastFixtures.TLS_WITH_BINDINGS;
import static dev.tern.edge.fast.FastFixtures.initiator;
import static dev.tern.edge.fast.FastFixtures.join;
import static dev.tern.edge.fast.FastFixtures.run;
import static dev.tern.edge.fast.FastFixtures.text;
import static dev.tern.edge.fast.FastFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.edge.fast.FastFixtures.MutableClock;
import dev.tern.edge.sasl.SaslFailure;
import dev.tern.edge.sasl.SaslServer;
import dev.tern.edge.sasl.SaslStep;
import dev.tern.edge.codec.TestXml;
import dev.tern.storage.accounts.InMemoryAccountStore;
import dev.tern.storage.fast.FastToken;
import dev.tern.storage.fast.InMemoryFastTokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Issuing, rotating and invalidating FAST tokens (XEP-0484 §3.2–§3.6). */
class FastTokensTest {

  private static final FastRequest REQUEST_NONE = new FastRequest(
      Optional.of("HT-SHA-256-NONE"), false, OptionalLong.empty(), false);
  private static final FastRequest WITH_TOKEN =
      new FastRequest(Optional.empty(), true, OptionalLong.empty(), false);
  private static final FastRequest INVALIDATE =
      new FastRequest(Optional.empty(), true, OptionalLong.empty(), true);

  private final MutableClock clock = new MutableClock(START);
  private final InMemoryFastTokenStore store = new InMemoryFastTokenStore(clock);
  private final InMemoryAccountStore accounts = FastFixtures.accounts();
  private final FastTokens fast = FastTokens.builder(store, accounts).clock(clock).build();

  /** A password login: any mechanism that is not FAST's. */
  private static final SaslServer PASSWORD = new SaslServer() {
    @Override
    public String mechanism() {
      return "SCRAM-SHA-256";
    }

    @Override
    public CompletionStage<SaslStep> start(byte[] initialResponse) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<SaslStep> evaluate(byte[] response) {
      throw new UnsupportedOperationException();
    }
  };

  private List<FastToken> tokens(String device) {
    return join(store.find("juliet", device));
  }

  private FastToken passwordLogin() {
    return join(fast.afterSuccess("juliet", PHONE, REQUEST_NONE, PASSWORD)).orElseThrow();
  }

  /** A FAST login with {@code token}; what the success carries, if it succeeded. */
  private Optional<FastToken> fastLogin(FastToken token, FastRequest request) {
    SaslServer server = fast.server(token.mechanism(), TLS, PHONE).orElseThrow();
    SaslStep step = run(server, initiator("juliet", text(token), new byte[0]));
    assertThat(step).isInstanceOf(SaslStep.Success.class);
    return join(fast.afterSuccess("juliet", PHONE, request, server));
  }

  private SaslStep attempt(FastToken token) {
    SaslServer server = fast.server(token.mechanism(), TLS, PHONE).orElseThrow();
    return run(server, initiator("juliet", text(token), new byte[0]));
  }

  @Test
  void aPasswordLoginThatRequestsATokenGets32RandomBytesValidForTheLifetime() {
    FastToken token = passwordLogin();

    assertThat(token.username()).isEqualTo("juliet");
    assertThat(token.deviceId()).isEqualTo(PHONE);
    assertThat(token.mechanism()).isEqualTo("HT-SHA-256-NONE");
    assertThat(text(token)).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(Base64.getUrlDecoder().decode(text(token))).hasSize(FastTokens.TOKEN_BYTES);
    assertThat(token.expires()).isEqualTo(START.plus(FastTokens.DEFAULT_LIFETIME));
    assertThat(tokens(PHONE)).containsExactly(token);
  }

  @Test
  void everyIssuedTokenIsDifferent() {
    FastToken a = join(fast.issue("juliet", PHONE, "HT-SHA-256-NONE"));
    FastToken b = join(fast.issue("juliet", PHONE, "HT-SHA-256-NONE"));

    assertThat(a.secret()).isNotEqualTo(b.secret());
  }

  @Test
  void aPasswordLoginWithoutATokenRequestGetsNoToken() {
    assertThat(join(fast.afterSuccess("juliet", PHONE, FastRequest.NONE, PASSWORD))).isEmpty();
    assertThat(tokens(PHONE)).isEmpty();
  }

  @Test
  void aTokenRequestedWithAPasswordReplacesTheDevicesTokensOnly() {
    FastToken old = passwordLogin();
    FastToken laptop = join(fast.afterSuccess("juliet", LAPTOP, REQUEST_NONE, PASSWORD))
        .orElseThrow();

    FastToken fresh = passwordLogin();

    assertThat(tokens(PHONE)).containsExactly(fresh);
    assertThat(tokens(LAPTOP)).containsExactly(laptop);
    assertThat(attempt(old)).isInstanceOf(SaslStep.Failure.class);
  }

  @Test
  void aFastLoginRotatesAndKeepsThePreviousTokenValidUntilTheNewOneIsUsed() {
    FastToken first = passwordLogin();
    clock.advance(Duration.ofDays(1));

    FastToken second = fastLogin(first, WITH_TOKEN).orElseThrow();

    // XEP-0484 §3.5: the old token stays until the new one is used; the client may never
    // have received the new one.
    assertThat(second.secret()).isNotEqualTo(first.secret());
    assertThat(second.mechanism()).isEqualTo(first.mechanism());
    assertThat(second.expires()).isEqualTo(START.plus(Duration.ofDays(31)));
    assertThat(tokens(PHONE)).containsExactly(second, first);

    FastToken third = fastLogin(first, WITH_TOKEN).orElseThrow();

    assertThat(tokens(PHONE)).containsExactly(third, first);
    assertThat(attempt(second)).isInstanceOf(SaslStep.Failure.class);
  }

  @Test
  void usingTheNewTokenInvalidatesThePreviousOne() {
    FastToken first = passwordLogin();
    FastToken second = fastLogin(first, WITH_TOKEN).orElseThrow();

    FastToken third = fastLogin(second, WITH_TOKEN).orElseThrow();

    assertThat(tokens(PHONE)).containsExactlyInAnyOrder(second, third);
    assertThat(attempt(first))
        .isEqualTo(new SaslStep.Failure(SaslFailure.NOT_AUTHORIZED, ""));
  }

  @Test
  void withoutRotationDueAFastLoginIssuesNothingAndLeavesOnlyTheUsedToken() {
    FastTokens lazy = FastTokens.builder(store, accounts).clock(clock)
        .rotateWhenExpiringWithin(Duration.ofDays(7)).build();
    FastToken first = passwordLogin();
    FastToken stray = join(fast.issue("juliet", PHONE, "HT-SHA-256-NONE"));
    SaslServer server = lazy.server("HT-SHA-256-NONE", TLS, PHONE).orElseThrow();
    run(server, initiator("juliet", text(first), new byte[0]));

    assertThat(join(lazy.afterSuccess("juliet", PHONE, WITH_TOKEN, server))).isEmpty();
    assertThat(tokens(PHONE)).containsExactly(first).doesNotContain(stray);
  }

  @Test
  void aTokenCloseToItsExpiryIsRotated() {
    FastTokens lazy = FastTokens.builder(store, accounts).clock(clock)
        .rotateWhenExpiringWithin(Duration.ofDays(7)).build();
    FastToken first = passwordLogin();
    clock.advance(Duration.ofDays(23));
    SaslServer server = lazy.server("HT-SHA-256-NONE", TLS, PHONE).orElseThrow();
    run(server, initiator("juliet", text(first), new byte[0]));

    Optional<FastToken> rotated = join(lazy.afterSuccess("juliet", PHONE, WITH_TOKEN, server));

    assertThat(rotated).hasValueSatisfying(t -> assertThat(t.expires())
        .isEqualTo(START.plus(Duration.ofDays(53))));
  }

  @Test
  void aFastLoginThatRequestsATokenGetsOneForTheRequestedMechanism() {
    FastToken first = passwordLogin();
    FastRequest request = new FastRequest(Optional.of("HT-SHA-256-EXPR"), true,
        OptionalLong.of(1), false);

    FastToken next = fastLogin(first, request).orElseThrow();

    assertThat(next.mechanism()).isEqualTo("HT-SHA-256-EXPR");
    assertThat(fast.server("HT-SHA-256-EXPR", TLS_WITH_BINDINGS, PHONE)).isPresent();
  }

  @Test
  void invalidatingTheTokenDeletesTheDevicesTokensAndIssuesNone() {
    FastToken first = passwordLogin();
    FastToken second = fastLogin(first, WITH_TOKEN).orElseThrow();

    assertThat(fastLogin(second, INVALIDATE)).isEmpty();

    assertThat(tokens(PHONE)).isEmpty();
    assertThat(attempt(second)).isInstanceOf(SaslStep.Failure.class);
    assertThat(attempt(first)).isInstanceOf(SaslStep.Failure.class);
  }

  @Test
  void invalidatingWithATokenRequestIssuesAFreshToken() {
    FastToken first = passwordLogin();
    FastRequest both = new FastRequest(Optional.of("HT-SHA-256-NONE"), true,
        OptionalLong.empty(), true);

    FastToken fresh = fastLogin(first, both).orElseThrow();

    assertThat(tokens(PHONE)).containsExactly(fresh);
  }

  @Test
  void aFailedFastExchangeCountsAsNoToken() {
    passwordLogin();
    SaslServer server = fast.server("HT-SHA-256-NONE", TLS, PHONE).orElseThrow();
    run(server, initiator("juliet", "wrong", new byte[0]));

    assertThat(join(fast.afterSuccess("juliet", PHONE, INVALIDATE, server))).isEmpty();
    assertThat(tokens(PHONE)).hasSize(1);
  }

  @Test
  void theTokenMustHaveAuthenticatedTheUserAndDeviceNamed() {
    FastToken first = passwordLogin();
    SaslServer server = fast.server("HT-SHA-256-NONE", TLS, PHONE).orElseThrow();
    run(server, initiator("juliet", text(first), new byte[0]));

    assertThatThrownBy(() -> fast.afterSuccess("romeo", PHONE, WITH_TOKEN, server))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fast.afterSuccess("juliet", LAPTOP, WITH_TOKEN, server))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyHtMechanismsGetTokens() {
    assertThatThrownBy(() -> fast.issue("juliet", PHONE, "SCRAM-SHA-256"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLifetimeOrRotationWindowOutOfRangeIsRefused() {
    assertThatThrownBy(() -> FastTokens.builder(store, accounts).lifetime(Duration.ZERO).build())
        .hasMessageContaining("fast.lifetime");
    assertThatThrownBy(() -> FastTokens.builder(store, accounts).lifetime(Duration.ofDays(366)).build())
        .hasMessageContaining("fast.lifetime");
    assertThatThrownBy(() -> FastTokens.builder(store, accounts).lifetime(Duration.ofDays(1))
        .rotateWhenExpiringWithin(Duration.ofDays(2)).build())
        .hasMessageContaining("fast.rotateWhenExpiringWithin");
    assertThatThrownBy(() -> FastTokens.builder(store, accounts)
        .rotateWhenExpiringWithin(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("fast.rotateWhenExpiringWithin");
  }

  // ---- elements ----

  @Test
  void theTokenElementIsXep0484sExample() {
    FastToken token = new FastToken("user", PHONE, "HT-SHA-256-NONE",
        utf8("WXZzciBwYmFmdmZnZiBqdmd1IGp2eXFhcmZm"), Instant.parse("2020-03-12T14:36:15Z"));

    assertThat(FastTokens.tokenElement(token)).isEqualTo(TestXml.parse("""
        <token xmlns='urn:xmpp:fast:0'
               expiry='2020-03-12T14:36:15Z'
               token='WXZzciBwYmFmdmZnZiBqdmd1IGp2eXFhcmZm' />"""));
  }

  @Test
  void theFeatureListsTheMechanismsOfTheStreamAsInXep0484Example1() {
    assertThat(fast.feature(TLS_WITH_BINDINGS)).contains(TestXml.parseCompact("""
        <fast xmlns='urn:xmpp:fast:0'>
          <mechanism>HT-SHA-256-EXPR</mechanism>
          <mechanism>HT-SHA-256-ENDP</mechanism>
          <mechanism>HT-SHA-256-UNIQ</mechanism>
          <mechanism>HT-SHA-256-NONE</mechanism>
        </fast>"""));
  }
}

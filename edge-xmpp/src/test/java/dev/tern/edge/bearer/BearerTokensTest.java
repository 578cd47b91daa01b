package dev.tern.edge.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BearerTokensTest {

  private static final byte[] KEY = new byte[32];
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  private static BearerTokens at(Instant now, byte[] key) {
    return new BearerTokens(key, Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void aTokenSaysWhenItWasIssuedToTheMillisecond() {
    Instant now = NOW.plusMillis(420);
    BearerTokens.Issued issued = at(now, KEY).issue("alice");

    assertThat(at(now.plusSeconds(10), KEY).check(issued.token()))
        .contains(new BearerTokens.Verified("alice", now));
  }

  @Test
  void aTokenNamesTheUserItWasIssuedToUntilItExpires() {
    BearerTokens.Issued issued = at(NOW, KEY).issue("alice");

    assertThat(issued.expires()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    assertThat(at(NOW.plusSeconds(299), KEY).verify(issued.token())).contains("alice");
    assertThat(at(NOW.plusSeconds(301), KEY).verify(issued.token())).isEmpty();
  }

  @Test
  void aTokenSignedWithAnotherKeyOrAlteredIsRefused() {
    String token = at(NOW, KEY).issue("alice").token();
    byte[] other = Arrays.copyOf(KEY, 32);
    other[0] = 1;

    assertThat(at(NOW, other).verify(token)).isEmpty();
    String forged = at(NOW, KEY).issue("mallory").token().split("\\.")[0] + "." + token.split("\\.")[1];
    assertThat(at(NOW, KEY).verify(forged)).isEmpty();
    assertThat(at(NOW, KEY).verify("not a token")).isEmpty();
    assertThat(at(NOW, KEY).verify("")).isEmpty();
  }
}

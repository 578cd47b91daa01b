package dev.tern.storage.fast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FastTokenTest {

  private static final String DEVICE = "d4565fa7-4d72-4749-b3d3-740edbf87770";

  private static FastToken token(byte[] secret) {
    return new FastToken("juliet", DEVICE, "HT-SHA-256-NONE", secret,
        Instant.parse("2025-06-01T00:00:00.123456Z"));
  }

  @Test
  void theTextFormShowsEverythingButTheSecret() {
    FastToken t = token("WXZzciBwYmFmdmZnZiBqdmd1IGp2eXFhcmZm".getBytes(StandardCharsets.US_ASCII));

    assertThat(t.toString())
        .isEqualTo("FastToken[juliet, device " + DEVICE
            + ", HT-SHA-256-NONE, expires 2025-06-01T00:00:00.123Z]")
        .doesNotContain("WXZz");
  }

  @Test
  void changingTheArraysGivenOrTakenDoesNotChangeTheToken() {
    byte[] secret = {1, 2, 3};
    FastToken t = token(secret);

    secret[0] = 9;
    t.secret()[1] = 9;

    assertThat(t.secret()).containsExactly(1, 2, 3);
    assertThat(t).isEqualTo(token(new byte[] {1, 2, 3})).hasSameHashCodeAs(token(new byte[] {1, 2, 3}));
    assertThat(t.hasSecret(new byte[] {1, 2, 3})).isTrue();
    assertThat(t.hasSecret(new byte[] {1, 2})).isFalse();
  }

  @Test
  void theExpiryIsKeptToTheMillisecondAndIsExclusive() {
    FastToken t = token(new byte[] {1});

    assertThat(t.expires()).isEqualTo(Instant.parse("2025-06-01T00:00:00.123Z"));
    assertThat(t.hasExpired(Instant.parse("2025-06-01T00:00:00.122Z"))).isFalse();
    assertThat(t.hasExpired(Instant.parse("2025-06-01T00:00:00.123Z"))).isTrue();
  }

  @Test
  void anEmptyOrOverlongSecretAndEmptyNamesAreRefused() {
    assertThatThrownBy(() -> token(new byte[0])).hasMessageContaining("secret");
    assertThatThrownBy(() -> token(new byte[FastToken.MAX_SECRET_LENGTH + 1]))
        .hasMessageContaining("secret");
    assertThatThrownBy(() -> new FastToken("", DEVICE, "HT-SHA-256-NONE", new byte[] {1},
        Instant.now())).isInstanceOf(IllegalArgumentException.class);
  }
}

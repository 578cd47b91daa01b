package dev.tern.storage.fast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InMemoryFastTokenStoreTest extends FastTokenStoreContract {

  private final InMemoryFastTokenStore store = new InMemoryFastTokenStore();

  @Override
  protected FastTokenStore store() {
    return store;
  }

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    private Instant now;

    ManualClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void aTokenIsNoLongerFoundOnceItsExpiryHasPassed() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2025-05-01T12:00:00Z"));
    InMemoryFastTokenStore timed = new InMemoryFastTokenStore(clock);
    FastToken token = new FastToken("juliet", "d4565fa7-4d72-4749-b3d3-740edbf87770",
        "HT-SHA-256-NONE", "t".getBytes(StandardCharsets.US_ASCII),
        Instant.parse("2025-05-01T12:00:10Z"));
    timed.put(token).toCompletableFuture().get();

    clock.advance(Duration.ofSeconds(9));
    assertThat(timed.find("juliet", token.deviceId()).toCompletableFuture().get())
        .containsExactly(token);

    clock.advance(Duration.ofSeconds(1));
    assertThat(timed.find("juliet", token.deviceId()).toCompletableFuture().get()).isEmpty();
  }
}

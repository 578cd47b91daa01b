package dev.tern.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.storage.messages.ChatId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RecentWritesTest {

  private record Bucket(ChatId chat, long bucket) {}

  private static final ChatId CHAT = ChatId.direct("alice@example.com", "bob@example.com");
  private static final ChatId OTHER = ChatId.direct("alice@example.com", "carol@example.com");

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

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

  private final ManualClock clock = new ManualClock();
  private final RecentWrites<Bucket> buckets = new RecentWrites<>(3, Duration.ofHours(1), clock);

  @Test
  void aBucketNeverWrittenIsNotFresh() {
    assertThat(buckets.fresh(new Bucket(CHAT, 5))).isFalse();
  }

  @Test
  void aWrittenBucketIsFreshForItsChatAndBucketOnly() {
    buckets.written(new Bucket(CHAT, 5), buckets.now());

    assertThat(buckets.fresh(new Bucket(CHAT, 5))).isTrue();
    assertThat(buckets.fresh(new Bucket(CHAT, 6))).isFalse();
    assertThat(buckets.fresh(new Bucket(OTHER, 5))).isFalse();
  }

  @Test
  void aBucketIsWrittenAgainOnceTheRewriteIntervalHasPassedSinceItsWriteWasSent() {
    long sentAt = buckets.now();
    clock.advance(Duration.ofMinutes(20));
    buckets.written(new Bucket(CHAT, 5), sentAt);

    clock.advance(Duration.ofMinutes(39));
    assertThat(buckets.fresh(new Bucket(CHAT, 5))).isTrue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(buckets.fresh(new Bucket(CHAT, 5))).isFalse();
  }

  @Test
  void anEarlierWriteCompletingLateDoesNotMakeABucketOlder() {
    long early = buckets.now();
    clock.advance(Duration.ofMinutes(50));
    buckets.written(new Bucket(CHAT, 5), buckets.now());
    buckets.written(new Bucket(CHAT, 5), early);

    clock.advance(Duration.ofMinutes(30));
    assertThat(buckets.fresh(new Bucket(CHAT, 5))).isTrue();
  }

  @Test
  void theLeastRecentlyUsedBucketIsForgottenBeyondTheCapacity() {
    buckets.written(new Bucket(CHAT, 1), buckets.now());
    buckets.written(new Bucket(CHAT, 2), buckets.now());
    buckets.written(new Bucket(CHAT, 3), buckets.now());
    assertThat(buckets.fresh(new Bucket(CHAT, 1))).isTrue();

    buckets.written(new Bucket(CHAT, 4), buckets.now());

    assertThat(buckets.size()).isEqualTo(3);
    assertThat(buckets.fresh(new Bucket(CHAT, 2))).isFalse();
    assertThat(buckets.fresh(new Bucket(CHAT, 1))).isTrue();
    assertThat(buckets.fresh(new Bucket(CHAT, 3))).isTrue();
    assertThat(buckets.fresh(new Bucket(CHAT, 4))).isTrue();
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThatThrownBy(() -> new RecentWrites<Bucket>(0, Duration.ofHours(1), clock))
        .hasMessageContaining("capacity");
  }
}

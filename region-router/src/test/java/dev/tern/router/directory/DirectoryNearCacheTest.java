package dev.tern.router.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.directory.presence.PresenceDirectory;
import dev.tern.directory.presence.Registration;
import dev.tern.directory.presence.UserLocation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DirectoryNearCacheTest {

  private static final String ALICE = "alice@example.com";

  private static final class TestClock extends Clock {
    private Instant now = Instant.parse("2025-06-01T12:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public synchronized Instant instant() {
      return now;
    }

    synchronized void advance(Duration d) {
      now = now.plus(d);
    }
  }

  /** Counts lookups; fails them while {@code failing}. */
  private static final class CountingDirectory implements PresenceDirectory {
    final AtomicInteger lookups = new AtomicInteger();
    final AtomicBoolean failing = new AtomicBoolean();

    @Override
    public CompletionStage<Void> heartbeat(String edgeId, String region, Duration ttl) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> edgeStopped(String edgeId) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> register(Registration registration) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> unregister(Registration registration, Instant at) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<dev.tern.directory.presence.DeadEdge>> reapDeadEdges(
        String region) {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletionStage<UserLocation> where(String bareJid) {
      int n = lookups.incrementAndGet();
      if (failing.get()) {
        return CompletableFuture.failedFuture(new IllegalStateException("Redis is down"));
      }
      return CompletableFuture.completedFuture(new UserLocation(bareJid, List.of(),
          Optional.of(Instant.ofEpochSecond(n))));
    }
  }

  private final TestClock clock = new TestClock();
  private final CountingDirectory directory = new CountingDirectory();
  private final DirectoryNearCache cache =
      new DirectoryNearCache(directory, Duration.ofSeconds(2), 2, clock);

  private UserLocation where(String user) {
    return cache.where(user).toCompletableFuture().join();
  }

  @Test
  void aLookupIsReusedUntilItExpiresThenAskedAgain() {
    UserLocation first = where(ALICE);
    clock.advance(Duration.ofMillis(1_999));
    assertThat(where(ALICE)).isEqualTo(first);
    assertThat(directory.lookups).hasValue(1);

    clock.advance(Duration.ofMillis(1));
    assertThat(where(ALICE)).isNotEqualTo(first);
    assertThat(directory.lookups).hasValue(2);
  }

  @Test
  void aFailedLookupIsNotKept() {
    directory.failing.set(true);
    assertThatThrownBy(() -> where(ALICE)).hasRootCauseMessage("Redis is down");

    directory.failing.set(false);
    assertThat(where(ALICE).bareJid()).isEqualTo(ALICE);
    assertThat(directory.lookups).hasValue(2);
  }

  @Test
  void theLeastRecentlyAskedUserGoesFirstWhenTheCacheIsFull() {
    where("a@example.com");
    where("b@example.com");
    where("a@example.com");
    where("c@example.com"); // evicts b

    assertThat(cache.size()).isEqualTo(2);
    where("a@example.com");
    assertThat(directory.lookups).hasValue(3);
    where("b@example.com");
    assertThat(directory.lookups).hasValue(4);
  }
}

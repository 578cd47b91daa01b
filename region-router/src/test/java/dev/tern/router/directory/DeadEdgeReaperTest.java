package dev.tern.router.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.directory.presence.InMemoryPresenceDirectory;
import dev.tern.directory.presence.Registration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadEdgeReaperTest {

  private Instant now = Instant.parse("2026-11-28T12:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };
  private final InMemoryPresenceDirectory directory = new InMemoryPresenceDirectory(clock);
  private final List<String> announced = new CopyOnWriteArrayList<>();

  private DeadEdgeReaper reaper() {
    return new DeadEdgeReaper(directory, "region-a", Duration.ofHours(1), full -> {
      announced.add(full);
      return CompletableFuture.completedFuture(null);
    });
  }

  @Test
  void theSessionsOfADeadEdgeAreAnnouncedUnavailableOnceButNotOnesThatLiveOnElsewhere()
      throws Exception {
    Duration ttl = Duration.ofSeconds(15);
    directory.heartbeat("region-a-edge-1", "region-a", ttl);
    directory.heartbeat("region-b-edge-1", "region-b", ttl);
    directory.register(Registration.of("alice@localhost", "phone", "region-a", "region-a-edge-1",
        now));
    directory.register(Registration.of("bob@localhost", "laptop", "region-a", "region-a-edge-1",
        now));
    directory.register(Registration.of("carol@localhost", "desk", "region-b", "region-b-edge-1",
        now));
    try (DeadEdgeReaper reaper = reaper()) {
      reaper.reap().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(announced).as("every edge is alive").isEmpty();

      now = now.plus(Duration.ofSeconds(10));
      directory.heartbeat("region-a-edge-2", "region-a", ttl);
      directory.heartbeat("region-b-edge-1", "region-b", ttl);
      // bob's stream was resumed on another edge before anyone noticed the first one died
      directory.register(Registration.of("bob@localhost", "laptop", "region-a",
          "region-a-edge-2", now));
      now = now.plus(Duration.ofSeconds(10)); // region-a-edge-1: no heartbeat for 20 s
      directory.heartbeat("region-a-edge-2", "region-a", ttl);
      directory.heartbeat("region-b-edge-1", "region-b", ttl);

      reaper.reap().toCompletableFuture().get(5, TimeUnit.SECONDS);
      reaper.reap().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    assertThat(announced).containsExactly("alice@localhost/phone");
  }
}

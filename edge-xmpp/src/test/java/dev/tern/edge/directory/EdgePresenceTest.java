package dev.tern.edge.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tern.directory.presence.ConnectedResource;
import dev.tern.directory.presence.InMemoryPresenceDirectory;
import dev.tern.directory.presence.PresenceDirectory;
import dev.tern.directory.presence.PresenceTiming;
import dev.tern.directory.presence.Registration;
import dev.tern.directory.presence.UserLocation;
import dev.tern.xmpp.jid.Jid;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class EdgePresenceTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Jid PHONE = Jid.of("alice", "example.com", "phone");
  private static final PresenceTiming SETTINGS = PresenceTiming.DEFAULTS;

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final InMemoryPresenceDirectory directory = new InMemoryPresenceDirectory(clock);
  private final EdgePresence edge =
      new EdgePresence(directory, "region-a", "region-a-edge-1", SETTINGS, clock);

  private UserLocation where(String user) {
    return directory.where(user).toCompletableFuture().join();
  }

  @Test
  void aBoundSessionIsRegisteredUnderThisEdgeAndRemovedWhenItEnds() {
    edge.beat().join();
    Object session = new Object();

    edge.bound(PHONE, session);
    assertThat(where("alice@example.com").resources()).containsExactly(
        new ConnectedResource("phone", "region-a", "region-a-edge-1", NOW));

    edge.unbound(PHONE, session);
    assertThat(where("alice@example.com").online()).isFalse();
    assertThat(where("alice@example.com").lastSeen()).contains(NOW);
    assertThat(edge.registered()).isZero();
  }

  @Test
  void theEndOfASessionThatWasReplacedOnThisEdgeLeavesItsSuccessor() {
    edge.beat().join();
    Object old = new Object();
    Object newer = new Object();
    edge.bound(PHONE, old);
    edge.bound(PHONE, newer);

    edge.unbound(PHONE, old);

    assertThat(where("alice@example.com").online()).isTrue();
    edge.unbound(PHONE, newer);
    assertThat(where("alice@example.com").online()).isFalse();
  }

  @Test
  void closingTheEdgeTakesItsEntriesAway() {
    edge.beat().join();
    edge.bound(PHONE, new Object());

    edge.close();

    assertThat(where("alice@example.com").online()).isFalse();
  }

  @Test
  void aDirectoryThatFailsNeverReachesTheSession() {
    PresenceDirectory broken = new PresenceDirectory() {
      @Override
      public CompletionStage<Void> heartbeat(String edgeId, String region, Duration ttl) {
        return CompletableFuture.failedFuture(new IllegalStateException("Redis is down"));
      }

      @Override
      public CompletionStage<Void> edgeStopped(String edgeId) {
        throw new IllegalStateException("Redis is down");
      }

      @Override
      public CompletionStage<Void> register(Registration registration) {
        throw new IllegalStateException("Redis is down");
      }

      @Override
      public CompletionStage<Void> unregister(Registration registration, Instant at) {
        return CompletableFuture.failedFuture(new IllegalStateException("Redis is down"));
      }

      @Override
      public CompletionStage<java.util.List<dev.tern.directory.presence.DeadEdge>> reapDeadEdges(
          String region) {
        return CompletableFuture.failedFuture(new IllegalStateException("Redis is down"));
      }

      @Override
      public CompletionStage<UserLocation> where(String bareJid) {
        return CompletableFuture.failedFuture(new IllegalStateException("Redis is down"));
      }
    };
    EdgePresence failing = new EdgePresence(broken, "region-a", "region-a-edge-2", SETTINGS, clock);
    Object session = new Object();

    assertThatCode(() -> {
      failing.beat().join();
      failing.bound(PHONE, session);
      failing.unbound(PHONE, session);
      failing.close();
    }).doesNotThrowAnyException();
  }

  @Test
  void anEdgeIdNamesTheRegionAndTheProcess() {
    assertThat(EdgePresence.newEdgeId("region-b"))
        .matches("region-b-edge-" + ProcessHandle.current().pid() + "-[0-9a-f]{6}");
  }
}

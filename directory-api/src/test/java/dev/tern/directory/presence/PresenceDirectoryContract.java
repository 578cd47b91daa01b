package dev.tern.directory.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link PresenceDirectory} must have. A test class per implementation
 * extends it; each test uses users and edges of its own, so the store may be shared and hold
 * other data (the federation's real Redis Cluster).
 */
public abstract class PresenceDirectoryContract {

  /** The edges' TTL in these tests: short, because the Redis test really waits it out. */
  protected static final Duration TTL = Duration.ofMillis(800);

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String alice = "alice-" + suffix + "@example.com";
  private final String bob = "bob-" + suffix + "@example.com";
  private final String edgeA = "region-a-edge-" + suffix;
  private final String edgeB = "region-b-edge-" + suffix;

  protected abstract PresenceDirectory store();

  /** Lets {@code time} pass as far as the store's expiry is concerned. */
  protected abstract void elapse(Duration time);

  /** The store's notion of now, for timestamps the tests pass in. */
  protected abstract Instant now();

  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the store failed", e.getCause());
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  private Registration bind(String user, String resource, String edge) {
    String region = edge.startsWith("region-b") ? "region-b" : "region-a";
    Registration r = Registration.of(user, resource, region, edge,
        now().truncatedTo(ChronoUnit.MILLIS));
    await(store().register(r));
    return r;
  }

  private UserLocation where(String user) {
    return await(store().where(user));
  }

  private void beat(String edge) {
    await(store().heartbeat(edge, edge.startsWith("region-b") ? "region-b" : "region-a", TTL));
  }

  @Test
  void aBoundResourceIsFoundWithItsRegionEdgeAndSince() {
    beat(edgeB);
    Registration phone = bind(alice, "phone", edgeB);

    UserLocation where = where(alice);

    assertThat(where.online()).isTrue();
    assertThat(where.resources()).containsExactly(
        new ConnectedResource("phone", "region-b", edgeB, phone.since()));
    assertThat(where.regions()).containsExactly("region-b");
    assertThat(where.lastSeen()).isEmpty();
  }

  @Test
  void anEdgeThatStopsHeartbeatingIsHandedOutOnceWithTheSessionsItHeld() {
    String region = "reap-" + suffix;
    String dying = region + "-edge-1";
    String living = region + "-edge-2";
    await(store().heartbeat(dying, region, TTL));
    await(store().heartbeat(living, region, TTL.multipliedBy(100)));
    Registration phone = Registration.of(alice, "phone", region, dying, now());
    Registration laptop = Registration.of(alice, "laptop", region, dying, now());
    Registration gone = Registration.of(bob, "tablet", region, dying, now());
    Registration elsewhere = Registration.of(bob, "desk", region, living, now());
    for (Registration r : List.of(phone, laptop, gone, elsewhere)) {
      await(store().register(r));
    }
    await(store().unregister(gone, now())); // ended and said so: not announced again
    assertThat(await(store().reapDeadEdges(region))).as("every edge is alive").isEmpty();

    elapse(TTL.plusMillis(300));

    assertThat(await(store().reapDeadEdges(region))).singleElement().satisfies(dead -> {
      assertThat(dead.edgeId()).isEqualTo(dying);
      assertThat(dead.fullJids()).containsExactlyInAnyOrder(alice + "/phone", alice + "/laptop");
    });
    assertThat(await(store().reapDeadEdges(region))).as("handed out once").isEmpty();
    assertThat(await(store().reapDeadEdges("other-" + suffix))).isEmpty();
  }

  @Test
  void anEdgeThatStoppedCleanlyIsNotReaped() {
    String region = "stop-" + suffix;
    String edge = region + "-edge-1";
    await(store().heartbeat(edge, region, TTL));
    await(store().register(Registration.of(alice, "phone", region, edge, now())));

    await(store().edgeStopped(edge));
    elapse(TTL.plusMillis(300));

    assertThat(await(store().reapDeadEdges(region))).isEmpty();
  }

  @Test
  void anUnknownUserIsOfflineAndWasNeverSeen() {
    UserLocation where = where("nobody-" + suffix + "@example.com");

    assertThat(where.online()).isFalse();
    assertThat(where.resources()).isEmpty();
    assertThat(where.lastSeen()).isEmpty();
  }

  @Test
  void resourcesOnEdgesOfDifferentRegionsAreAllListed() {
    beat(edgeA);
    beat(edgeB);
    bind(alice, "phone", edgeA);
    bind(alice, "laptop", edgeB);
    bind(bob, "phone", edgeB);

    assertThat(where(alice).resources()).extracting(ConnectedResource::resource,
            ConnectedResource::region)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("laptop", "region-b"),
            org.assertj.core.groups.Tuple.tuple("phone", "region-a"));
    assertThat(where(alice).regions()).containsExactly("region-a", "region-b");
    assertThat(where(bob).resources()).hasSize(1);
  }

  @Test
  void aCleanDisconnectRemovesTheResourceAndTheLastOneSetsLastSeen() {
    beat(edgeA);
    Registration phone = bind(alice, "phone", edgeA);
    Registration laptop = bind(alice, "laptop", edgeA);
    Instant first = now().truncatedTo(ChronoUnit.MILLIS);

    await(store().unregister(phone, first));
    assertThat(where(alice).resources()).extracting(ConnectedResource::resource)
        .containsExactly("laptop");
    assertThat(where(alice).lastSeen()).as("one resource is still there").isEmpty();

    Instant gone = first.plusSeconds(3);
    await(store().unregister(laptop, gone));
    assertThat(where(alice).online()).isFalse();
    assertThat(where(alice).lastSeen()).contains(gone);
  }

  @Test
  void lastSeenIsKeptWhileTheUserIsBackAndMovesOnWhenTheUserLeavesAgain() {
    beat(edgeA);
    Instant t0 = now().truncatedTo(ChronoUnit.MILLIS);
    await(store().unregister(bind(alice, "phone", edgeA), t0));
    Registration again = bind(alice, "phone", edgeA);

    assertThat(where(alice).online()).isTrue();
    assertThat(where(alice).lastSeen()).contains(t0);

    await(store().unregister(again, t0.plusSeconds(60)));
    assertThat(where(alice).lastSeen()).contains(t0.plusSeconds(60));
  }

  @Test
  void aSessionThatWasReplacedDoesNotRemoveItsSuccessor() {
    beat(edgeA);
    beat(edgeB);
    Registration old = bind(alice, "phone", edgeA);
    Registration newer = bind(alice, "phone", edgeB); // the device moved to region-b

    await(store().unregister(old, now()));

    UserLocation where = where(alice);
    assertThat(where.resources()).containsExactly(newer.connected());
    assertThat(where.lastSeen()).isEmpty();
  }

  @Test
  void entriesOfAnEdgeThatStopsHeartbeatingVanishWithinOneTtl() {
    beat(edgeA);
    beat(edgeB);
    bind(alice, "phone", edgeA);
    bind(alice, "laptop", edgeB);
    bind(bob, "phone", edgeA);

    elapse(TTL.dividedBy(2));
    beat(edgeB); // edge A is killed: it beats no more
    elapse(TTL.dividedBy(2).plusMillis(200));

    assertThat(where(alice).resources()).extracting(ConnectedResource::resource)
        .containsExactly("laptop");
    assertThat(where(alice).lastSeen()).isEmpty();
    UserLocation gone = where(bob);
    assertThat(gone.online()).isFalse();
    assertThat(gone.lastSeen()).as("bob's edge's last heartbeat").isPresent();
  }

  @Test
  void heartbeatsKeepEntriesAliveLongAfterTheTtl() {
    beat(edgeA);
    bind(alice, "phone", edgeA);

    for (int i = 0; i < 4; i++) {
      elapse(TTL.dividedBy(2));
      beat(edgeA);
    }

    assertThat(where(alice).resources()).extracting(ConnectedResource::resource)
        .containsExactly("phone");
  }

  @Test
  void anEdgeThatStopsCleanlyTakesItsEntriesAtOnce() {
    beat(edgeA);
    bind(alice, "phone", edgeA);

    await(store().edgeStopped(edgeA));

    UserLocation where = where(alice);
    assertThat(where.online()).isFalse();
    assertThat(where.lastSeen()).isPresent();
  }

  @Test
  void aUserWhoseEdgeDiedIsFoundAgainAfterReconnectingElsewhere() {
    beat(edgeA);
    beat(edgeB);
    bind(alice, "phone", edgeA);
    await(store().edgeStopped(edgeA));

    Registration moved = bind(alice, "phone", edgeB);

    assertThat(where(alice).resources()).containsExactly(moved.connected());
  }

  @Test
  void unregisteringTheLastLiveResourceSetsLastSeenEvenWithEntriesOfADeadEdgeLeft() {
    beat(edgeA);
    beat(edgeB);
    bind(alice, "tablet", edgeA);
    Registration phone = bind(alice, "phone", edgeB);
    await(store().edgeStopped(edgeA));
    Instant gone = now().truncatedTo(ChronoUnit.MILLIS).plusSeconds(5);

    await(store().unregister(phone, gone));

    assertThat(where(alice).online()).isFalse();
    assertThat(where(alice).lastSeen()).contains(gone);
  }
}

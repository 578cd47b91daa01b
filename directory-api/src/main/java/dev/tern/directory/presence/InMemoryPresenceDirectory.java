package dev.tern.directory.presence;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PresenceDirectory} in one process's memory, for fast unit tests of the code that uses
 * it; the product runs on {@code RedisPresenceDirectory}. Both pass the same contract test.
 */
public final class InMemoryPresenceDirectory implements PresenceDirectory {

  private final Clock clock;
  /** Edge id → alive until; an entry whose edge is missing or past it does not count. */
  private final Map<String, Instant> aliveUntil = new HashMap<>();
  /** Edge id → its last heartbeat (or its clean stop). */
  private final Map<String, Instant> lastBeat = new HashMap<>();
  private final Map<String, Map<String, Registration>> users = new HashMap<>();
  private final Map<String, Instant> lastSeen = new HashMap<>();
  /** Edge id → full JIDs bound on it, for edges that heartbeat and did not stop cleanly. */
  private final Map<String, java.util.Set<String>> edgeSessions = new HashMap<>();
  /** Edge id → its region. */
  private final Map<String, String> edgeRegion = new HashMap<>();

  /** @param clock decides expiry, as Redis's own clock does for the real store */
  public InMemoryPresenceDirectory(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public synchronized CompletionStage<Void> heartbeat(String edgeId, String region,
      Duration ttl) {
    Registration.checkName("edgeId", edgeId);
    Registration.checkName("region", region);
    requireNonNull(ttl, "ttl");
    Instant now = clock.instant();
    aliveUntil.put(edgeId, now.plus(ttl));
    lastBeat.put(edgeId, now);
    edgeSessions.computeIfAbsent(edgeId, e -> new java.util.LinkedHashSet<>());
    edgeRegion.put(edgeId, region);
    return done();
  }

  @Override
  public synchronized CompletionStage<Void> edgeStopped(String edgeId) {
    Registration.checkName("edgeId", edgeId);
    aliveUntil.remove(edgeId);
    lastBeat.put(edgeId, clock.instant());
    edgeSessions.remove(edgeId);
    return done();
  }

  @Override
  public synchronized CompletionStage<Void> register(Registration r) {
    requireNonNull(r, "registration");
    users.computeIfAbsent(r.bareJid(), u -> new LinkedHashMap<>()).put(r.resource(), r);
    edgeSessions.computeIfAbsent(r.edgeId(), e -> new java.util.LinkedHashSet<>())
        .add(r.bareJid() + "/" + r.resource());
    return done();
  }

  @Override
  public synchronized CompletionStage<Void> unregister(Registration r, Instant at) {
    requireNonNull(r, "registration");
    requireNonNull(at, "at");
    java.util.Set<String> onEdge = edgeSessions.get(r.edgeId());
    if (onEdge != null) {
      onEdge.remove(r.bareJid() + "/" + r.resource());
    }
    Map<String, Registration> resources = users.get(r.bareJid());
    if (resources == null) {
      return done();
    }
    boolean removed = false;
    Registration current = resources.get(r.resource());
    if (current != null && current.token().equals(r.token())) {
      resources.remove(r.resource());
      removed = true;
    }
    removed |= pruneDead(r.bareJid(), resources) != null;
    if (removed) {
      emptied(r.bareJid(), resources, at);
    }
    return done();
  }

  @Override
  public synchronized CompletionStage<List<DeadEdge>> reapDeadEdges(String region) {
    Registration.checkName("region", region);
    Instant now = clock.instant();
    List<DeadEdge> dead = new ArrayList<>();
    for (var it = edgeSessions.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      Instant until = aliveUntil.get(e.getKey());
      if (region.equals(edgeRegion.get(e.getKey())) && (until == null || !now.isBefore(until))) {
        dead.add(new DeadEdge(e.getKey(), List.copyOf(e.getValue())));
        it.remove();
      }
    }
    return CompletableFuture.completedFuture(dead);
  }

  @Override
  public synchronized CompletionStage<UserLocation> where(String bareJid) {
    requireNonNull(bareJid, "bareJid");
    Map<String, Registration> resources = users.get(bareJid);
    if (resources != null) {
      Instant deadSince = pruneDead(bareJid, resources);
      if (deadSince != null) {
        emptied(bareJid, resources, deadSince);
      }
    }
    List<ConnectedResource> live = new ArrayList<>();
    if (resources != null) {
      resources.values().forEach(r -> live.add(r.connected()));
    }
    return CompletableFuture.completedFuture(
        new UserLocation(bareJid, live, Optional.ofNullable(lastSeen.get(bareJid))));
  }

  /** Removes entries of dead edges; returns the latest last heartbeat among them, or null. */
  private @Nullable Instant pruneDead(String bareJid, Map<String, Registration> resources) {
    Instant now = clock.instant();
    Instant latest = null;
    for (var it = resources.values().iterator(); it.hasNext(); ) {
      Registration r = it.next();
      Instant until = aliveUntil.get(r.edgeId());
      if (until == null || !now.isBefore(until)) {
        it.remove();
        Instant beat = lastBeat.getOrDefault(r.edgeId(), r.since());
        latest = latest == null || beat.isAfter(latest) ? beat : latest;
      }
    }
    return latest;
  }

  private void emptied(String bareJid, Map<String, Registration> resources, Instant at) {
    if (resources.isEmpty()) {
      users.remove(bareJid);
      lastSeen.merge(bareJid, at, (old, now) -> now.isAfter(old) ? now : old);
    }
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}

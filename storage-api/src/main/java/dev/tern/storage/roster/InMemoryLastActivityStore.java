package dev.tern.storage.roster;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link LastActivityStore} in memory, for fast unit tests. The product always runs on
 * {@code CassandraLastActivityStore} (tern-storage); both pass the same contract test.
 */
public final class InMemoryLastActivityStore implements LastActivityStore {

  private record Seen(Instant at, String status) {}

  private final ConcurrentMap<String, Set<String>> online = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Seen> seen = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Void> available(String user, String resource) {
    requireNonNull(user, "user");
    requireNonNull(resource, "resource");
    online.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(resource);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> unavailable(String user, String resource, Instant at, String status) {
    requireNonNull(user, "user");
    requireNonNull(resource, "resource");
    requireNonNull(at, "at");
    requireNonNull(status, "status");
    online.getOrDefault(user, ConcurrentHashMap.newKeySet()).remove(resource);
    seen.put(user, new Seen(at, status));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<LastActivity> lastActivity(String user) {
    requireNonNull(user, "user");
    Seen s = seen.get(user);
    boolean isOnline = !online.getOrDefault(user, Set.of()).isEmpty();
    return CompletableFuture.completedFuture(new LastActivity(isOnline,
        Optional.ofNullable(s).map(Seen::at), s == null ? "" : s.status()));
  }
}

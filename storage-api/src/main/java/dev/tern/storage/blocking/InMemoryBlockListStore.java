package dev.tern.storage.blocking;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link BlockListStore} in a map, for fast unit tests of the code that uses block lists. The
 * product always runs on {@code CassandraBlockListStore} (tern-storage);
 * both pass the same contract test.
 */
public final class InMemoryBlockListStore implements BlockListStore {

  private final ConcurrentMap<String, Set<String>> lists = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Set<String>> blocked(String user) {
    requireNonNull(user, "user");
    Set<String> out = new HashSet<>();
    lists.computeIfPresent(user, (u, jids) -> {
      out.addAll(jids);
      return jids;
    });
    return CompletableFuture.completedFuture(Set.copyOf(out));
  }

  @Override
  public CompletionStage<Void> block(String user, Collection<String> jids) {
    requireNonNull(user, "user");
    List<String> add = List.copyOf(jids);
    if (!add.isEmpty()) {
      lists.compute(user, (u, old) -> {
        Set<String> out = old == null ? new HashSet<>() : old;
        out.addAll(add);
        return out;
      });
    }
    return done();
  }

  @Override
  public CompletionStage<Void> unblock(String user, Collection<String> jids) {
    requireNonNull(user, "user");
    List<String> remove = List.copyOf(jids);
    lists.computeIfPresent(user, (u, old) -> {
      old.removeAll(remove);
      return old.isEmpty() ? null : old;
    });
    return done();
  }

  @Override
  public CompletionStage<Void> unblockAll(String user) {
    requireNonNull(user, "user");
    lists.remove(user);
    return done();
  }

  private static CompletionStage<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}

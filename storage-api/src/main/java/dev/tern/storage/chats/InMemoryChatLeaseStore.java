package dev.tern.storage.chats;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A {@link ChatLeaseStore} in memory, for tests; one lock makes every replace atomic. */
public final class InMemoryChatLeaseStore implements ChatLeaseStore {

  private record Key(String home, int shard) {}

  private final Map<Key, ChatLease> leases = new HashMap<>();

  @Override
  public synchronized CompletionStage<List<ChatLease>> all() {
    return CompletableFuture.completedFuture(new ArrayList<>(leases.values()));
  }

  @Override
  public synchronized CompletionStage<Optional<ChatLease>> read(String home, int shard) {
    return CompletableFuture.completedFuture(
        Optional.ofNullable(leases.get(new Key(requireNonNull(home, "home"), shard))));
  }

  @Override
  public synchronized CompletionStage<Boolean> replace(Optional<ChatLease> expected,
      ChatLease next) {
    requireNonNull(expected, "expected");
    requireNonNull(next, "next");
    Key key = new Key(next.home(), next.shard());
    Optional<ChatLease> current = Optional.ofNullable(leases.get(key));
    if (!current.equals(expected)) {
      return CompletableFuture.completedFuture(false);
    }
    leases.put(key, next);
    return CompletableFuture.completedFuture(true);
  }
}

package dev.tern.storage.archive;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.messages.StoredMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An {@link ArchiveStore} in memory, for fast unit tests. The product always runs on
 * {@code CassandraArchiveStore} (tern-storage); both pass the same contract test.
 */
public final class InMemoryArchiveStore implements ArchiveStore {

  /** A user's whole archive ({@code peer} empty) or the part shared with one peer. */
  private record Scope(String user, String peer) {}

  private record Id(String user, String stanzaId) {}

  private final Map<Scope, NavigableMap<ArchivePosition, String>> archives = new HashMap<>();
  private final Map<Id, ArchivePosition> ids = new HashMap<>();

  @Override
  public synchronized CompletionStage<Void> add(StoredMessage m) {
    requireNonNull(m, "m");
    index(m.sender(), m.recipient(), m);
    index(m.recipient(), m.sender(), m);
    return CompletableFuture.completedFuture(null);
  }

  private void index(String user, String peer, StoredMessage m) {
    ArchivePosition p = ArchivePosition.of(m);
    for (Scope s : List.of(new Scope(user, ""), new Scope(user, peer))) {
      archives.computeIfAbsent(s, k -> new TreeMap<>()).put(p, m.stanzaId());
    }
    ids.put(new Id(user, m.stanzaId()), p);
  }

  @Override
  public synchronized CompletionStage<Optional<ArchiveEntry>> find(String user, String stanzaId) {
    requireNonNull(user, "user");
    requireNonNull(stanzaId, "stanzaId");
    ArchivePosition p = ids.get(new Id(user, stanzaId));
    return CompletableFuture.completedFuture(
        Optional.ofNullable(p).map(pos -> new ArchiveEntry(stanzaId, pos)));
  }

  @Override
  public synchronized CompletionStage<List<ArchiveEntry>> page(ArchiveRange range, boolean newestFirst,
      int limit) {
    requireNonNull(range, "range");
    ArchiveStore.checkLimit(limit);
    if (range.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    Scope scope = new Scope(range.user(), range.with().orElse(""));
    NavigableMap<ArchivePosition, String> log = archives.getOrDefault(scope, new TreeMap<>());
    NavigableMap<ArchivePosition, String> slice =
        log.subMap(range.after(), false, range.before(), false);
    List<ArchiveEntry> out = (newestFirst ? slice.descendingMap() : slice).entrySet().stream()
        .limit(limit)
        .map(e -> new ArchiveEntry(e.getValue(), e.getKey()))
        .toList();
    return CompletableFuture.completedFuture(out);
  }
}

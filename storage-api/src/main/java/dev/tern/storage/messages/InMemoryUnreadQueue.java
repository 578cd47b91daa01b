package dev.tern.storage.messages;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * An {@link UnreadQueue} in memory, for fast unit tests. The product always runs on
 * {@code CassandraUnreadQueue} (tern-storage); both pass the same contract test.
 */
public final class InMemoryUnreadQueue implements UnreadQueue {

  /** The queue's order: storedAt, then chat, then seq (the Cassandra clustering order). */
  static final Comparator<StoredMessage> ORDER = Comparator.comparing(StoredMessage::storedAt)
      .thenComparing(m -> m.chat().value())
      .thenComparingLong(StoredMessage::seq);

  private final ConcurrentMap<String, NavigableSet<StoredMessage>> queues =
      new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Void> add(String user, StoredMessage m) {
    requireNonNull(user, "user");
    requireNonNull(m, "m");
    queues.compute(user, (u, queue) -> {
      NavigableSet<StoredMessage> q = queue == null ? new ConcurrentSkipListSet<>(ORDER) : queue;
      q.removeIf(old -> old.chat().equals(m.chat()) && old.seq() == m.seq());
      q.add(m);
      return q;
    });
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<List<StoredMessage>> peek(String user, int limit) {
    requireNonNull(user, "user");
    if (limit < 1) {
      throw new IllegalArgumentException("limit: must be at least 1, was " + limit);
    }
    NavigableSet<StoredMessage> q = queues.get(user);
    return CompletableFuture.completedFuture(
        q == null ? List.of() : q.stream().limit(limit).toList());
  }

  @Override
  public CompletionStage<Void> remove(String user, ChatId chat, long seq) {
    requireNonNull(user, "user");
    requireNonNull(chat, "chat");
    queues.computeIfPresent(user, (u, q) -> {
      q.removeIf(m -> m.chat().equals(chat) && m.seq() == seq);
      return q.isEmpty() ? null : q;
    });
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<List<StoredMessage>> peekAfter(String user, java.time.Instant storedAt,
      ChatId chat, long seq, int limit) {
    requireNonNull(user, "user");
    if (limit < 1) {
      throw new IllegalArgumentException("limit: must be at least 1, was " + limit);
    }
    NavigableSet<StoredMessage> q = queues.get(user);
    if (q == null) {
      return CompletableFuture.completedFuture(List.of());
    }
    StoredMessage cursor = new StoredMessage(chat, seq, "cursor", user, user,
        java.util.Optional.empty(), "", storedAt);
    return CompletableFuture.completedFuture(q.tailSet(cursor, false).stream().limit(limit).toList());
  }
}

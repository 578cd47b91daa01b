package dev.tern.storage.messages;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link MessageStore} in memory, for fast unit tests of the code that stores messages. The
 * product always runs on {@code CassandraMessageStore} (tern-storage); both pass the same
 * contract test. One lock guards everything.
 */
public final class InMemoryMessageStore implements MessageStore {

  private record Origin(String sender, String originId) {}

  private final Object lock = new Object();
  private final Map<ChatId, NavigableMap<Long, StoredMessage>> chats = new HashMap<>();
  private final Map<Origin, OriginRecord> origins = new HashMap<>();

  @Override
  public CompletionStage<Void> store(StoredMessage m) {
    requireNonNull(m, "m");
    synchronized (lock) {
      chats.computeIfAbsent(m.chat(), c -> new TreeMap<>()).put(m.seq(), m);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> recordOrigin(OriginRecord record) {
    requireNonNull(record, "record");
    synchronized (lock) {
      origins.put(new Origin(record.sender(), record.originId()), record);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Optional<OriginRecord>> findByOrigin(String sender, String originId) {
    requireNonNull(sender, "sender");
    requireNonNull(originId, "originId");
    synchronized (lock) {
      return CompletableFuture.completedFuture(
          Optional.ofNullable(origins.get(new Origin(sender, originId))));
    }
  }

  @Override
  public CompletionStage<List<StoredMessage>> history(ChatId chat, long afterSeq, int limit) {
    requireNonNull(chat, "chat");
    MessageStore.checkPage(afterSeq, limit);
    synchronized (lock) {
      NavigableMap<Long, StoredMessage> log = chats.getOrDefault(chat, new TreeMap<>());
      return CompletableFuture.completedFuture(log.tailMap(afterSeq, false).values().stream()
          .limit(limit)
          .toList());
    }
  }

  @Override
  public CompletionStage<Optional<StoredMessage>> find(ChatId chat, long seq) {
    requireNonNull(chat, "chat");
    synchronized (lock) {
      NavigableMap<Long, StoredMessage> log = chats.get(chat);
      return CompletableFuture.completedFuture(
          log == null ? Optional.empty() : Optional.ofNullable(log.get(seq)));
    }
  }
}

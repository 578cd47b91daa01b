package dev.tern.storage.receipts;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.StoredMessage;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link ReceiptStore} in memory, for fast unit tests. The product always runs on
 * {@code CassandraReceiptStore} (tern-storage); both pass the same contract test.
 */
public final class InMemoryReceiptStore implements ReceiptStore {

  private record Ref(ChatId chat, String sender, String ref) {}

  private record Key(ChatId chat, long seq) {}

  private final ConcurrentMap<Ref, Long> refs = new ConcurrentHashMap<>();
  private final ConcurrentMap<Key, ReceiptStatus> statuses = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Void> index(StoredMessage m, Optional<String> clientId) {
    requireNonNull(m, "m");
    requireNonNull(clientId, "clientId");
    refs.put(new Ref(m.chat(), m.sender(), m.stanzaId()), m.seq());
    m.originId().ifPresent(o -> refs.put(new Ref(m.chat(), m.sender(), o), m.seq()));
    clientId.ifPresent(id -> refs.put(new Ref(m.chat(), m.sender(), id), m.seq()));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Optional<Long>> find(ChatId chat, String sender, String ref) {
    requireNonNull(chat, "chat");
    requireNonNull(sender, "sender");
    requireNonNull(ref, "ref");
    return CompletableFuture.completedFuture(
        Optional.ofNullable(refs.get(new Ref(chat, sender, ref))));
  }

  @Override
  public CompletionStage<ReceiptStatus> advance(ChatId chat, long seq, ReceiptState state,
      Instant at) {
    requireNonNull(chat, "chat");
    requireNonNull(state, "state");
    requireNonNull(at, "at");
    ReceiptStore.checkRecordable(state);
    return CompletableFuture.completedFuture(statuses.merge(new Key(chat, seq),
        ReceiptStatus.SENT.advancedTo(state, at), (old, fresh) -> old.advancedTo(state, at)));
  }

  @Override
  public CompletionStage<ReceiptStatus> status(ChatId chat, long seq) {
    requireNonNull(chat, "chat");
    return CompletableFuture.completedFuture(
        statuses.getOrDefault(new Key(chat, seq), ReceiptStatus.SENT));
  }
}

package dev.tern.storage.messages;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link MessageStore} in memory, for fast unit tests of the code that stores messages. The
 * product always runs on {@code CassandraMessageStore} (tern-storage); both pass the same
 * contract test. One lock guards everything, so numbers are handed out without gaps.
 */
public final class InMemoryMessageStore implements MessageStore {

  private record Claim(String sender, String originId) {}

  private final Clock clock;
  private final Object lock = new Object();
  private final Map<ChatId, NavigableMap<Long, StoredMessage>> chats = new HashMap<>();
  private final Map<Claim, StoredMessage> claims = new HashMap<>();

  public InMemoryMessageStore() {
    this(Clock.systemUTC());
  }

  InMemoryMessageStore(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public CompletionStage<StoredMessage> append(ChatId chat, String sender, String recipient,
      Optional<String> originId, String stanzaXml) {
    requireNonNull(chat, "chat");
    requireNonNull(sender, "sender");
    requireNonNull(recipient, "recipient");
    requireNonNull(originId, "originId");
    requireNonNull(stanzaXml, "stanzaXml");
    synchronized (lock) {
      Optional<Claim> claim = originId.map(id -> new Claim(sender, id));
      if (claim.isPresent() && claims.containsKey(claim.get())) {
        return CompletableFuture.completedFuture(claims.get(claim.get()));
      }
      NavigableMap<Long, StoredMessage> log = chats.computeIfAbsent(chat, c -> new TreeMap<>());
      Map.Entry<Long, StoredMessage> last = log.lastEntry();
      long seq = last == null ? 1 : last.getKey() + 1;
      Instant storedAt = last == null
          ? clock.instant() : latest(clock.instant(), last.getValue().storedAt());
      StoredMessage m = new StoredMessage(chat, seq, UUID.randomUUID().toString(), sender,
          recipient, originId, stanzaXml, storedAt);
      log.put(seq, m);
      claim.ifPresent(c -> claims.put(c, m));
      return CompletableFuture.completedFuture(m);
    }
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
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

  @Override
  public CompletionStage<Optional<StoredMessage>> findByOrigin(String sender, String originId) {
    requireNonNull(sender, "sender");
    requireNonNull(originId, "originId");
    synchronized (lock) {
      return CompletableFuture.completedFuture(
          Optional.ofNullable(claims.get(new Claim(sender, originId))));
    }
  }
}

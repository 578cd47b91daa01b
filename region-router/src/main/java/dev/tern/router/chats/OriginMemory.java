package dev.tern.router.chats;

import dev.tern.storage.messages.StoredMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The origin-ids (XEP-0359) of the messages this sequencer stored recently, and of those it is
 * storing: a resend is answered from here without reading the store. Bounded; what it forgot,
 * and what a previous owner stored, the persisted origin records answer.
 */
public final class OriginMemory {

  private record Key(String sender, String originId) {}

  private final Map<Key, CompletableFuture<StoredMessage>> recent;

  public OriginMemory(int capacity) {
    this.recent = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, CompletableFuture<StoredMessage>> e) {
        return size() > capacity;
      }
    };
  }

  /**
   * The message stored (or being stored) under this origin-id if remembered; otherwise empty,
   * and {@code storing} is remembered as its first attempt.
   */
  public synchronized Optional<CompletableFuture<StoredMessage>> claim(String sender,
      String originId, CompletableFuture<StoredMessage> storing) {
    Key key = new Key(sender, originId);
    CompletableFuture<StoredMessage> earlier = recent.get(key);
    if (earlier != null) {
      return Optional.of(earlier);
    }
    recent.put(key, storing);
    storing.whenComplete((m, error) -> {
      if (error != null) {
        forget(key, storing);
      }
    });
    return Optional.empty();
  }

  private synchronized void forget(Key key, CompletableFuture<StoredMessage> attempt) {
    recent.remove(key, attempt);
  }
}

package dev.tern.router.chats;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.chats.ChatHomeStore;
import dev.tern.storage.messages.ChatId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Each chat's home region, read once and remembered (at most {@code capacity} chats, the least
 * recently used forgotten first). A chat without a home gets this router's region: the region
 * of the member who sent its first message.
 */
public final class ChatHomes {

  private final ChatHomeStore store;
  private final String region;
  private final Map<ChatId, CompletableFuture<String>> cache;

  public ChatHomes(ChatHomeStore store, String region, int capacity) {
    this.store = requireNonNull(store, "store");
    this.region = requireNonNull(region, "region");
    this.cache = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ChatId, CompletableFuture<String>> eldest) {
        return size() > capacity;
      }
    };
  }

  public CompletableFuture<String> of(ChatId chat) {
    CompletableFuture<String> home;
    boolean miss = false;
    synchronized (cache) {
      home = cache.get(chat);
      if (home == null) {
        home = new CompletableFuture<>();
        cache.put(chat, home);
        miss = true;
      }
    }
    if (miss) {
      CompletableFuture<String> pending = home;
      CompletableFuture.completedFuture(chat)
          .thenCompose(c -> store.home(c))
          .thenCompose(found -> found.isPresent()
              ? CompletableFuture.completedFuture(found.get()) : store.settle(chat, region))
          .whenComplete((h, error) -> {
            if (error != null) {
              synchronized (cache) {
                cache.remove(chat, pending);
              }
              pending.completeExceptionally(error);
            } else {
              pending.complete(h);
            }
          });
    }
    return home;
  }
}

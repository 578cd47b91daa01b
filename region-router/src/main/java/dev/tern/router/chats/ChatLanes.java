package dev.tern.router.chats;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs asynchronous steps one after another per key, in the order they were enqueued: a step
 * starts when the previous step of its key has completed, however long that takes. Keys with
 * nothing queued cost nothing.
 */
public final class ChatLanes<K> {

  private static final Logger log = LoggerFactory.getLogger(ChatLanes.class);

  private final ConcurrentMap<K, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

  /** Enqueues {@code step} behind {@code key}'s earlier steps; completes when it has. */
  public CompletableFuture<Void> run(K key, Supplier<? extends CompletionStage<?>> step) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> previous = tails.put(key, mine);
    Runnable go = () -> {
      try {
        step.get().whenComplete((r, e) -> {
          if (e != null) {
            log.error("a step of {} failed", key, e);
          }
          mine.complete(null);
        });
      } catch (RuntimeException | Error e) {
        log.error("a step of {} failed", key, e);
        mine.complete(null);
      }
    };
    if (previous == null || previous.isDone()) {
      go.run();
    } else {
      previous.whenComplete((r, e) -> go.run());
    }
    mine.whenComplete((r, e) -> tails.remove(key, mine));
    return mine;
  }

  /** How many keys have steps queued or running (for tests). */
  public int busy() {
    return tails.size();
  }
}

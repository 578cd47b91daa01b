package dev.tern.router.chats;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs asynchronous steps one after another per key, in the order they were enqueued: a step
 * starts when the previous step of its key has completed, however long that takes. Keys with
 * nothing queued cost nothing. Steps that complete at once are started in a loop, not from
 * nested callbacks, so a long queue cannot overflow a thread's stack.
 */
public final class ChatLanes<K> {

  private static final Logger log = LoggerFactory.getLogger(ChatLanes.class);

  /** One key's queue of steps, each returning the future of its end; {@code running}: draining. */
  private static final class Lane {
    final ArrayDeque<Supplier<CompletableFuture<Void>>> steps = new ArrayDeque<>();
    boolean running;
  }

  private final Map<Object, Lane> lanes = new HashMap<>();
  private final Duration stepLimit;

  /** Lanes whose steps each hold their key at most 20 s (a bug must not stop a chat for ever). */
  public ChatLanes() {
    this(Duration.ofSeconds(20));
  }

  /**
   * @param stepLimit how long one step may hold its key; a step still running then is logged as
   *     an error and the next step of the key starts
   */
  public ChatLanes(Duration stepLimit) {
    this.stepLimit = stepLimit;
  }

  /** Enqueues {@code step} behind {@code key}'s earlier steps; completes when it has. */
  public CompletableFuture<Void> run(K key, Supplier<? extends CompletionStage<?>> step) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Supplier<CompletableFuture<Void>> start = () -> {
      CompletableFuture<?> stage;
      try {
        stage = step.get().toCompletableFuture();
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      stage.orTimeout(stepLimit.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
        if (e != null) {
          log.error("a step of {} failed", key, e);
        }
        done.complete(null);
      });
      return done;
    };
    synchronized (lanes) {
      Lane lane = lanes.computeIfAbsent(key, k -> new Lane());
      lane.steps.add(start);
      if (lane.running) {
        return done;
      }
      lane.running = true;
    }
    drain(key);
    return done;
  }

  /** Starts the key's steps in turn while they end at once; a later end resumes here. */
  private void drain(Object key) {
    while (true) {
      Supplier<CompletableFuture<Void>> next;
      synchronized (lanes) {
        Lane lane = lanes.get(key);
        next = lane.steps.poll();
        if (next == null) {
          lanes.remove(key);
          return;
        }
      }
      CompletableFuture<Void> end = next.get();
      if (!end.isDone()) {
        end.whenComplete((v, e) -> drain(key)); // on a fresh stack, when it ends
        return;
      }
    }
  }

  /** How many keys have steps queued or running (for tests and the log). */
  public int busy() {
    synchronized (lanes) {
      return lanes.size();
    }
  }
}

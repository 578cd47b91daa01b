package dev.tern.router.chats;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * At most {@code permits} asynchronous tasks running at once; the others wait their turn in the
 * order they came. Keeps a burst of messages from putting more statements in flight than the
 * database connections carry (each refuses beyond its limit at once); the wait shows as latency,
 * and the edges' own bounds push back on the clients.
 */
public final class InFlightLimit {

  private final int permits;
  private int running;
  private final Queue<Runnable> waiting = new ArrayDeque<>();

  public InFlightLimit(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits: at least 1, was " + permits);
    }
    this.permits = permits;
  }

  /** Runs {@code task} when a permit is free; completes as its stage does. */
  public <T> CompletableFuture<T> run(Supplier<? extends CompletionStage<T>> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable start = () -> {
      CompletionStage<T> stage;
      try {
        stage = task.get();
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      stage.whenComplete((value, error) -> {
        release();
        if (error != null) {
          result.completeExceptionally(error);
        } else {
          result.complete(value);
        }
      });
    };
    boolean now;
    synchronized (this) {
      now = running < permits;
      if (now) {
        running++;
      } else {
        waiting.add(start);
      }
    }
    if (now) {
      start.run();
    }
    return result;
  }

  private void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        running--;
      }
    }
    if (next != null) {
      // Not from this callback's stack: tasks that complete at once would nest without bound.
      java.util.concurrent.ForkJoinPool.commonPool().execute(next);
    }
  }

  /** Tasks running now (for metrics and the log). */
  public synchronized int running() {
    return running;
  }

  /** Tasks waiting for a permit (for metrics and tests). */
  public synchronized int waiting() {
    return waiting.size();
  }
}

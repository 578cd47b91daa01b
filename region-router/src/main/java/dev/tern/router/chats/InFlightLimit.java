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
  private final java.util.concurrent.Executor starts;
  private int running;
  private final Queue<Runnable> waiting = new ArrayDeque<>();

  /**
   * @param starts starts every task, in the order they are given it (one thread: then tasks
   *     start in exactly the order {@link #run} was called, which the sequencer's numbering needs)
   */
  public InFlightLimit(int permits, java.util.concurrent.Executor starts) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits: at least 1, was " + permits);
    }
    this.permits = permits;
    this.starts = java.util.Objects.requireNonNull(starts, "starts");
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
    synchronized (this) {
      if (running < permits) {
        running++;
        starts.execute(start); // under the lock: handed over in the order of the calls
      } else {
        waiting.add(start);
      }
    }
    return result;
  }

  private void release() {
    synchronized (this) {
      Runnable next = waiting.poll();
      if (next == null) {
        running--;
      } else {
        starts.execute(next); // the oldest waiting task, still in call order
      }
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

package dev.tern.router.chats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {

  private static void awaitStarted(List<Integer> started, int n) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (started.size() < n && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  @Test
  void beyondItsPermitsATaskWaitsAndStartsInTurnWhenOneBeforeItCompletes() {
    InFlightLimit limit = new InFlightLimit(2, java.util.concurrent.Executors.newSingleThreadExecutor());
    List<CompletableFuture<String>> tasks = new ArrayList<>();
    List<Integer> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int n = i;
      CompletableFuture<String> task = new CompletableFuture<>();
      tasks.add(task);
      results.add(limit.run(() -> {
        started.add(n);
        return task;
      }));
    }

    awaitStarted(started, 2);
    assertThat(started).containsExactly(0, 1);
    assertThat(limit.waiting()).isEqualTo(2);
    tasks.get(1).completeExceptionally(new IllegalStateException("failed"));
    awaitStarted(started, 3); // started in turn, off the completing thread
    assertThat(started).containsExactly(0, 1, 2);
    tasks.get(0).complete("zero");
    awaitStarted(started, 4);
    assertThat(started).containsExactly(0, 1, 2, 3);
    assertThat(results.get(0).join()).isEqualTo("zero");
    assertThat(results.get(1)).isCompletedExceptionally();
    tasks.get(2).complete("two");
    tasks.get(3).complete("three");
    assertThat(limit.waiting()).isZero();
    assertThat(limit.run(() -> CompletableFuture.completedFuture("at once")).join())
        .isEqualTo("at once");
  }
}

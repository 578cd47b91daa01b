package dev.tern.router.chats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChatLanesTest {

  @Test
  void aKeysStepsRunInTheOrderEnqueuedEachAfterThePreviousEnded() {
    ChatLanes<String> lanes = new ChatLanes<>();
    CompletableFuture<Void> first = new CompletableFuture<>();
    List<String> ran = new ArrayList<>();
    lanes.run("chat", () -> {
      ran.add("first");
      return first;
    });
    lanes.run("chat", () -> {
      ran.add("second");
      return CompletableFuture.completedFuture(null);
    });
    lanes.run("other", () -> {
      ran.add("other");
      return CompletableFuture.completedFuture(null);
    });

    assertThat(ran).containsExactly("first", "other");
    first.complete(null);
    assertThat(ran).containsExactly("first", "other", "second");
    assertThat(lanes.busy()).isZero();
  }

  @Test
  void tenThousandStepsQueuedBehindASlowOneRunWithoutOverflowingTheStack() {
    ChatLanes<String> lanes = new ChatLanes<>();
    CompletableFuture<Void> slow = new CompletableFuture<>();
    lanes.run("chat", () -> slow);
    List<Integer> ran = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      int n = i;
      lanes.run("chat", () -> {
        ran.add(n);
        return CompletableFuture.completedFuture(null);
      });
    }

    slow.complete(null);

    assertThat(ran).hasSize(10_000).isSorted();
    assertThat(lanes.busy()).isZero();
  }
}

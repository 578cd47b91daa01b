package dev.tern.edge.session;

import dev.tern.directory.sm.InMemoryResumptionStore;
import dev.tern.directory.sm.ResumptionStore;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A resumption store whose appends of unacknowledged stanzas complete when the test says so, as
 * Redis answers a moment later: a stanza stream management stores goes on the wire only then.
 */
final class LateResumptionStore {

  private final List<CompletableFuture<Boolean>> appends = new CopyOnWriteArrayList<>();
  private final ResumptionStore store;

  LateResumptionStore() {
    ResumptionStore inMemory =
        new InMemoryResumptionStore(Clock.systemUTC(), Duration.ofMinutes(1));
    store = (ResumptionStore) Proxy.newProxyInstance(ResumptionStore.class.getClassLoader(),
        new Class<?>[] {ResumptionStore.class}, (proxy, method, args) -> {
          Object answer = method.invoke(inMemory, args);
          if (!method.getName().equals("appendUnacked")) {
            return answer;
          }
          CompletableFuture<Boolean> held = new CompletableFuture<>();
          appends.add(held);
          return ((CompletionStage<?>) answer).thenCombine(held, (a, b) -> b);
        });
  }

  ResumptionStore store() {
    return store;
  }

  /** Completes every append made so far. */
  void answerAll() {
    appends.forEach(a -> a.complete(true));
  }
}

package dev.tern.router.roster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.storage.errors.StoreErrors;
import dev.tern.storage.roster.InMemoryLastActivityStore;
import dev.tern.storage.roster.InMemoryRosterStore;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.RosterStore;
import dev.tern.storage.roster.Subscription;
import dev.tern.storage.roster.SubscriptionRequest;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A pair of users' roster changes take effect in the order the router got them, however long
 * each takes: Smack's RosterIntegrationTest runs them back to back.
 */
class RostersOrderTest {

  private static final String ALICE = "alice@localhost";
  private static final String BOB = "bob@localhost";

  private final InMemoryRosterStore memory = new InMemoryRosterStore();
  private final CompletableFuture<Void> gate = new CompletableFuture<>();
  private final AtomicBoolean held = new AtomicBoolean();

  /** The store, whose first compare-and-set of alice's item waits for {@link #gate}. */
  private final RosterStore store = (RosterStore) Proxy.newProxyInstance(
      RosterStore.class.getClassLoader(), new Class<?>[] {RosterStore.class},
      (proxy, method, args) -> {
        if (method.getName().equals("replace") && args[0].equals(ALICE)
            && held.compareAndSet(false, true)) {
          return gate.thenCompose(v -> {
            try {
              return (CompletionStage<?>) method.invoke(memory, args);
            } catch (ReflectiveOperationException e) {
              throw new IllegalStateException(e);
            }
          });
        }
        return method.invoke(memory, args);
      });

  private final Rosters rosters = new Rosters(store, new InMemoryLastActivityStore(),
      StoreErrors.NONE, Clock.systemUTC(), (to, xml) -> { });

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void anOldRefusalDoesNotCancelTheRequestThatFollowsIt() throws Exception {
    // Alice asked Bob; Bob's client refuses (reject_all); alice removes him and asks again.
    await(memory.put(ALICE, new RosterItem(BOB, Optional.empty(), Set.of(), Subscription.NONE,
        true, false)));
    await(memory.addRequest(BOB, new SubscriptionRequest(ALICE,
        "<presence type='subscribe'/>", Instant.now())));

    CompletionStage<Void> refusal = rosters.subscription(BOB, ALICE, "unsubscribed",
        "<presence type='unsubscribed' from='bob@localhost' to='alice@localhost'/>");
    CompletionStage<Void> removal = rosters.remove(ALICE, BOB);
    CompletionStage<Void> again = rosters.subscription(ALICE, BOB, "subscribe",
        "<presence type='subscribe' from='alice@localhost' to='bob@localhost'/>");
    gate.complete(null); // the refusal's write to alice's item lands late

    await(refusal);
    await(removal);
    await(again);
    RosterItem alices = await(memory.item(ALICE, BOB)).orElseThrow();
    assertThat(alices.askSubscribe()).as("the new request is pending").isTrue();
    List<SubscriptionRequest> bobs = await(memory.requests(BOB));
    assertThat(bobs).extracting(SubscriptionRequest::from).containsExactly(ALICE);
  }
}

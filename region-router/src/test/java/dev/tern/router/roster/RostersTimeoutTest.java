package dev.tern.router.roster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.routing.roster.RosterWire;
import dev.tern.storage.errors.StoreErrors;
import dev.tern.storage.roster.InMemoryLastActivityStore;
import dev.tern.storage.roster.InMemoryRosterStore;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.RosterStore;
import dev.tern.storage.roster.Subscription;
import dev.tern.storage.roster.SubscriptionRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A compare-and-set that times out (Paxos across both datacenters, under load) may have taken
 * effect or not; a subscription stanza still does all it should, once.
 */
class RostersTimeoutTest {

  private static final String ALICE = "alice@localhost";
  private static final String BOB = "bob@localhost";

  /** A compare-and-set that timed out: it may or may not have taken effect. */
  private static final class TimedOut extends RuntimeException {
    TimedOut() {
      super("CAS write timed out", null, false, false);
    }
  }

  /** A request refused before it ran, for the load of the moment. */
  private static final class Overloaded extends RuntimeException {
    Overloaded() {
      super("overloaded", null, false, false);
    }
  }

  /** Tells these failures apart as the Cassandra stores' errors tell theirs. */
  private static final StoreErrors ERRORS = new StoreErrors() {
    @Override
    public boolean transientFailure(Throwable error) {
      return unwrap(error) instanceof TimedOut;
    }

    @Override
    public boolean overloaded(Throwable error) {
      return unwrap(error) instanceof Overloaded;
    }

    private Throwable unwrap(Throwable error) {
      return error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
    }
  };

  /** Applies the first {@code applyThenTimeOut} writes, yet answers them with a timeout. */
  private static final class TimingOutStore implements RosterStore {
    final InMemoryRosterStore real = new InMemoryRosterStore();
    final AtomicInteger applyThenTimeOut = new AtomicInteger();
    final AtomicInteger timeOutWithout = new AtomicInteger();
    final AtomicInteger refuseReads = new AtomicInteger();

    private static TimedOut timeout() {
      return new TimedOut();
    }

    @Override
    public CompletionStage<Boolean> replace(String user, Optional<RosterItem> expected,
        RosterItem updated) {
      if (timeOutWithout.getAndDecrement() > 0) {
        return CompletableFuture.failedFuture(timeout());
      }
      CompletionStage<Boolean> done = real.replace(user, expected, updated);
      if (applyThenTimeOut.getAndDecrement() > 0) {
        return done.thenCompose(applied -> CompletableFuture.failedFuture(timeout()));
      }
      return done;
    }

    @Override
    public CompletionStage<List<RosterItem>> items(String user) {
      if (refuseReads.getAndDecrement() > 0) {
        return CompletableFuture.failedFuture(new Overloaded());
      }
      return real.items(user);
    }

    @Override
    public CompletionStage<Optional<RosterItem>> item(String user, String contact) {
      return real.item(user, contact);
    }

    @Override
    public CompletionStage<Void> put(String user, RosterItem item) {
      return real.put(user, item);
    }

    @Override
    public CompletionStage<Void> remove(String user, String contact) {
      return real.remove(user, contact);
    }

    @Override
    public CompletionStage<Void> addRequest(String user, SubscriptionRequest request) {
      return real.addRequest(user, request);
    }

    @Override
    public CompletionStage<List<SubscriptionRequest>> requests(String user) {
      return real.requests(user);
    }

    @Override
    public CompletionStage<Void> removeRequest(String user, String from) {
      return real.removeRequest(user, from);
    }
  }

  private final TimingOutStore store = new TimingOutStore();
  private final List<String> passedToAlice = new ArrayList<>();
  private final Rosters rosters = new Rosters(store, new InMemoryLastActivityStore(), ERRORS,
      Clock.systemUTC(), (to, xml) -> {
        if (to.equals(ALICE)) {
          passedToAlice.add(xml);
        }
      });

  private void send(String type, String from, String to) throws Exception {
    rosters.subscription(from, to, type, Stanzas.subscription(type, from, to))
        .toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private Subscription subscription(String user, String contact) throws Exception {
    return store.real.item(user, contact).toCompletableFuture().get().orElseThrow()
        .subscription();
  }

  @Test
  void anApprovalWhoseWriteTimedOutAfterTakingEffectIsStillDelivered() throws Exception {
    send("subscribe", ALICE, BOB);
    store.applyThenTimeOut.set(2); // Bob's item, then Alice's: both written, both "timed out"
    passedToAlice.clear();

    send("subscribed", BOB, ALICE);

    assertThat(subscription(ALICE, BOB)).isEqualTo(Subscription.TO);
    assertThat(subscription(BOB, ALICE)).isEqualTo(Subscription.FROM);
    assertThat(passedToAlice).as("the approval and the roster push reach Alice")
        .anyMatch(xml -> xml.contains("type='subscribed'"))
        .anyMatch(xml -> xml.contains("jabber:iq:roster"));
  }

  @Test
  void anApprovalWhoseWriteTimedOutWithoutTakingEffectIsWrittenAgain() throws Exception {
    send("subscribe", ALICE, BOB);
    store.timeOutWithout.set(2);

    send("subscribed", BOB, ALICE);

    assertThat(subscription(ALICE, BOB)).isEqualTo(Subscription.TO);
    assertThat(subscription(BOB, ALICE)).isEqualTo(Subscription.FROM);
  }

  @Test
  void presenceThatCassandraRefusedForLoadIsTriedAgainAndReachesTheContacts() throws Exception {
    send("subscribe", ALICE, BOB);
    send("subscribed", BOB, ALICE);
    passedToAlice.clear();
    store.refuseReads.set(2); // a whole edge's clients went at once: Cassandra refused, twice

    rosters.presence(BOB + "/phone", RosterWire.UNAVAILABLE, new RosterWire.PresencePayload(
            "<presence from='" + BOB + "/phone' type='unavailable'/>", ""))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(passedToAlice).anyMatch(xml -> xml.contains("type='unavailable'"));
  }

  @Test
  void presenceIsGivenUpWhenCassandraKeepsRefusingIt() {
    store.refuseReads.set(100);

    assertThat(rosters.presence(BOB + "/phone", RosterWire.UNAVAILABLE,
            new RosterWire.PresencePayload("<presence type='unavailable'/>", ""))
        .toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(Overloaded.class);
    assertThat(store.refuseReads.get()).as("five tries").isEqualTo(95);
  }
}

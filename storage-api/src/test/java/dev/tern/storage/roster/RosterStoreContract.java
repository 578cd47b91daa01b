package dev.tern.storage.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RosterStore} must have. Each test uses users of its own, so the
 * store may be shared and hold other data (a real keyspace migrated to v8 or later).
 */
public abstract class RosterStoreContract {

  /** The store under test; may return the same instance on every call. */
  protected abstract RosterStore store();

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  private static String uniqueJid(String name) {
    return name + "-" + UUID.randomUUID() + "@example.com";
  }

  private final String juliet = uniqueJid("juliet");
  private final String romeo = uniqueJid("romeo");
  private final String nurse = uniqueJid("nurse");

  @Test
  void aUserWithoutRosterHasNoItems() {
    assertThat(await(store().items(juliet))).isEmpty();
    assertThat(await(store().item(juliet, romeo))).isEmpty();
  }

  @Test
  void anItemIsReadBackWithEveryField() {
    RosterItem item = new RosterItem(romeo, Optional.of("Romeo"), Set.of("Friends", "Lovers"),
        Subscription.TO, true, false);
    RosterItem other = RosterItem.of(nurse).withApproved(true).withSubscription(Subscription.FROM);

    await(store().put(juliet, item));
    await(store().put(juliet, other));

    assertThat(await(store().items(juliet))).containsExactlyInAnyOrder(item, other);
    assertThat(await(store().item(juliet, romeo))).contains(item);
    assertThat(await(store().items(romeo))).isEmpty();
  }

  @Test
  void aReplaceFromAStateThatChangedMeanwhileIsRefusedAndStoresNothing() {
    RosterItem asked = RosterItem.of(romeo).withAsk(true);
    assertThat(await(store().replace(juliet, Optional.empty(), asked))).isTrue();
    assertThat(await(store().replace(juliet, Optional.empty(), RosterItem.of(romeo))))
        .as("no longer absent").isFalse();

    // Two changes from the same state: the first wins, the second must read again.
    RosterItem to = asked.withAsk(false).withSubscription(Subscription.TO);
    RosterItem from = asked.withSubscription(Subscription.FROM);
    assertThat(await(store().replace(juliet, Optional.of(asked), to))).isTrue();
    assertThat(await(store().replace(juliet, Optional.of(asked), from))).isFalse();
    assertThat(await(store().item(juliet, romeo))).contains(to);
    RosterItem both = to.withSubscription(Subscription.BOTH);
    assertThat(await(store().replace(juliet, Optional.of(to), both))).isTrue();
    assertThat(await(store().item(juliet, romeo))).contains(both);
  }

  @Test
  void aReplaceFromAnOutdatedVersionIsRefusedThoughTheSubscriptionStateIsTheSame() {
    RosterItem unversioned = RosterItem.of(romeo).withAsk(true);
    await(store().put(juliet, unversioned)); // as rows written before versions were
    RosterItem renamed = unversioned.withName(Optional.of("Romeo")).withVersion(5);
    assertThat(await(store().replace(juliet, Optional.of(unversioned), renamed))).isTrue();
    assertThat(await(store().item(juliet, romeo))).contains(renamed);

    // A second rename from the version before: same subscription, ask and approval, refused.
    RosterItem stale = unversioned.withName(Optional.of("R.")).withVersion(4);
    assertThat(await(store().replace(juliet, Optional.of(unversioned), stale))).isFalse();
    RosterItem next = renamed.withSubscription(Subscription.TO).withAsk(false).withVersion(6);
    assertThat(await(store().replace(juliet, Optional.of(renamed), next))).isTrue();
    assertThat(await(store().item(juliet, romeo))).contains(next);
  }

  @Test
  void aReplaceThatFindsItsVersionedItemStoredOrJustReplacedCountsAsWritten() {
    // Under contention another Paxos round can commit this one's write, then this one reports
    // "not applied": the store tells by the versions.
    RosterItem asked = RosterItem.of(romeo).withAsk(true).withVersion(10);
    RosterItem from = asked.withSubscription(Subscription.FROM).withVersion(11);
    assertThat(await(store().replace(juliet, Optional.empty(), asked))).isTrue();
    assertThat(await(store().replace(juliet, Optional.of(asked), from))).isTrue();

    assertThat(await(store().replace(juliet, Optional.of(asked), from)))
        .as("found stored").isTrue();
    RosterItem both = from.withSubscription(Subscription.BOTH).withAsk(false).withVersion(12);
    assertThat(await(store().replace(juliet, Optional.of(from), both))).isTrue();
    assertThat(await(store().replace(juliet, Optional.of(asked), from)))
        .as("replaced by the change right after it").isTrue();

    assertThat(await(store().replace(juliet, Optional.of(asked), from.withVersion(13))))
        .as("another version of the same state is another write").isFalse();
    assertThat(await(store().replace(juliet, Optional.of(from), asked.withVersion(9))))
        .as("older than the one before").isFalse();
    assertThat(await(store().item(juliet, romeo))).contains(both);
  }

  @Test
  void puttingAnItemForTheSameContactReplacesIt() {
    await(store().put(juliet, new RosterItem(romeo, Optional.of("Romeo"), Set.of("Friends"),
        Subscription.NONE, true, false)));
    RosterItem updated = new RosterItem(romeo, Optional.empty(), Set.of(), Subscription.BOTH,
        false, false);

    await(store().put(juliet, updated));

    assertThat(await(store().items(juliet))).containsExactly(updated);
  }

  @Test
  void aRemovedItemIsGoneAndRemovingItAgainIsNoError() {
    await(store().put(juliet, RosterItem.of(romeo)));
    await(store().put(juliet, RosterItem.of(nurse)));

    await(store().remove(juliet, romeo));
    await(store().remove(juliet, romeo));

    assertThat(await(store().items(juliet))).extracting(RosterItem::contact).containsExactly(nurse);
  }

  @Test
  void pendingRequestsAreKeptOnePerRequesterOldestFirstUntilRemoved() {
    Instant t0 = Instant.parse("2025-05-01T12:00:00Z");
    SubscriptionRequest fromRomeo = new SubscriptionRequest(romeo,
        "<presence xmlns='jabber:client' type='subscribe' from='" + romeo + "'/>", t0.plusSeconds(5));
    SubscriptionRequest fromNurse = new SubscriptionRequest(nurse,
        "<presence xmlns='jabber:client' type='subscribe' from='" + nurse + "'/>", t0);
    SubscriptionRequest romeoAgain = new SubscriptionRequest(romeo,
        "<presence xmlns='jabber:client' type='subscribe' from='" + romeo + "'><status>again</status></presence>",
        t0.plusSeconds(9));

    await(store().addRequest(juliet, fromRomeo));
    await(store().addRequest(juliet, fromNurse));
    await(store().addRequest(juliet, romeoAgain));

    assertThat(await(store().requests(juliet))).containsExactly(fromNurse, romeoAgain);

    await(store().removeRequest(juliet, nurse));
    await(store().removeRequest(juliet, nurse));

    assertThat(await(store().requests(juliet))).containsExactly(romeoAgain);
    assertThat(await(store().requests(romeo))).isEmpty();
  }
}

package dev.tern.router.roster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.routing.roster.RosterWire;
import dev.tern.storage.errors.StoreErrors;
import dev.tern.storage.roster.InMemoryLastActivityStore;
import dev.tern.storage.roster.InMemoryRosterStore;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.Subscription;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * RFC 6121 conversations between two users of the domain, through the router's logic on
 * in-memory stores: what each roster holds and what passes to whom.
 */
class RostersTest {

  private record Passed(String to, String xml) {}

  private static final String ALICE = "alice@localhost";
  private static final String BOB = "bob@localhost";
  private static final String ALICE_PHONE = ALICE + "/phone";
  private static final String BOB_LAPTOP = BOB + "/laptop";

  private final InMemoryRosterStore store = new InMemoryRosterStore();
  private final List<Passed> passed = new ArrayList<>();
  private Instant now = Instant.parse("2026-01-01T10:00:00Z");
  private final Rosters rosters = new Rosters(store, new InMemoryLastActivityStore(),
      StoreErrors.NONE, new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      }, (to, xml) -> passed.add(new Passed(to, xml)));

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The user's item for the contact, without its version (see the version tests). */
  private Optional<RosterItem> item(String user, String contact) {
    return await(store.item(user, contact)).map(i -> i.withVersion(0));
  }

  private long version(String user, String contact) {
    return await(store.item(user, contact)).orElseThrow().version();
  }

  /** The version a push carries, from its {@code <order/>}. */
  private static long pushedVersion(String push) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("<order xmlns='urn:tern:roster' version='(\\d+)'/>").matcher(push);
    assertThat(m.find()).as("a version in %s", push).isTrue();
    return Long.parseLong(m.group(1));
  }

  private Subscription subscription(String user, String contact) {
    return item(user, contact).orElseThrow().subscription();
  }

  private static String presence(String type, String from, String to) {
    return Stanzas.subscription(type, from, to);
  }

  private void send(String type, String from, String to) {
    await(rosters.subscription(from, to, type, presence(type, from, to)));
  }

  private void online(String full) {
    await(rosters.presence(full, RosterWire.INITIAL,
        new RosterWire.PresencePayload("<presence xmlns='jabber:client' from='" + full + "'/>", "")));
  }

  private List<String> passedTo(String jid) {
    return passed.stream().filter(p -> p.to().equals(jid)).map(Passed::xml).toList();
  }

  private void befriend() {
    send("subscribe", ALICE, BOB);
    send("subscribed", BOB, ALICE);
    send("subscribe", BOB, ALICE);
    send("subscribed", ALICE, BOB);
    passed.clear();
  }

  @Test
  void everyStoredChangeRaisesTheItemsVersionAndItsPushCarriesIt() {
    send("subscribe", ALICE, BOB);
    long asked = version(ALICE, BOB);
    assertThat(passedTo(ALICE)).singleElement().satisfies(p ->
        assertThat(pushedVersion(p)).isEqualTo(asked));
    passed.clear();

    send("subscribed", BOB, ALICE);
    long approved = version(ALICE, BOB);
    assertThat(approved).isGreaterThan(asked);
    assertThat(passedTo(ALICE)).filteredOn(p -> p.startsWith("<iq")).singleElement()
        .satisfies(p -> assertThat(pushedVersion(p)).isEqualTo(approved));
    passed.clear();

    await(rosters.remove(ALICE, BOB));
    long removed = pushedVersion(passedTo(ALICE).get(passedTo(ALICE).size() - 1));
    assertThat(removed).isGreaterThan(approved);
  }

  @Test
  void anItemAddedAgainAfterItsRemovalGoesOnAboveTheRemovalsVersion() {
    send("subscribe", ALICE, BOB);
    await(rosters.remove(ALICE, BOB));
    long removed = pushedVersion(passedTo(ALICE).get(passedTo(ALICE).size() - 1));
    passed.clear();
    now = now.plusMillis(1);

    send("subscribe", ALICE, BOB);

    assertThat(version(ALICE, BOB)).isGreaterThan(removed);
  }

  @Test
  void aRosterSetAddsAnItemWithoutSubscriptionAndPushesIt() {
    await(rosters.set(ALICE, new RosterItem(BOB, Optional.of("Bob"), Set.of("Friends"),
        Subscription.NONE, false, false), Optional.empty()));

    assertThat(item(ALICE, BOB)).contains(new RosterItem(BOB, Optional.of("Bob"), Set.of("Friends"),
        Subscription.NONE, false, false));
    assertThat(passedTo(ALICE)).singleElement().asString()
        .contains("<item jid='bob@localhost' name='Bob' subscription='none'><group>Friends</group>");
  }

  @Test
  void aRosterSetMayRepeatTheSubscriptionButNotChangeIt() {
    befriend();

    await(rosters.set(ALICE, RosterItem.of(BOB).withName(Optional.of("B")), Optional.of("both")));

    assertThat(subscription(ALICE, BOB)).isEqualTo(Subscription.BOTH);
    assertThatThrownBy(() -> await(rosters.set(ALICE, RosterItem.of(BOB), Optional.of("to"))))
        .isInstanceOfSatisfying(Rosters.Refused.class,
            r -> assertThat(r.condition).isEqualTo("not-allowed"));
  }

  @Test
  void aRequestToAnOfflineContactWaitsAndArrivesWithItsInitialPresence() {
    send("subscribe", ALICE, BOB);

    assertThat(item(ALICE, BOB).orElseThrow().askSubscribe()).isTrue();
    assertThat(item(BOB, ALICE)).isEmpty();
    passed.clear();

    online(BOB_LAPTOP);

    assertThat(passedTo(BOB_LAPTOP)).containsExactly(presence("subscribe", ALICE, BOB));
  }

  @Test
  void approvalGivesToAndFromAndProbesTheApproversPresence() {
    send("subscribe", ALICE, BOB);
    passed.clear();

    send("subscribed", BOB, ALICE);

    assertThat(item(ALICE, BOB).orElseThrow())
        .isEqualTo(RosterItem.of(BOB).withSubscription(Subscription.TO));
    assertThat(subscription(BOB, ALICE)).isEqualTo(Subscription.FROM);
    assertThat(passedTo(ALICE)).contains(presence("subscribed", BOB, ALICE));
    assertThat(passedTo(BOB)).contains(Stanzas.probe(ALICE, BOB));
    passed.clear();
    online(BOB_LAPTOP);
    assertThat(passedTo(BOB_LAPTOP)).isEmpty(); // answered: no longer waiting
  }

  @Test
  void aMutualSubscriptionIsBothAndPresenceFlowsBothWays() {
    befriend();

    assertThat(subscription(ALICE, BOB)).isEqualTo(Subscription.BOTH);
    assertThat(subscription(BOB, ALICE)).isEqualTo(Subscription.BOTH);

    online(ALICE_PHONE);

    String available = "<presence xmlns='jabber:client' from='" + ALICE_PHONE + "'/>";
    assertThat(passedTo(BOB)).containsExactly(available, Stanzas.probe(ALICE_PHONE, BOB));
    assertThat(passedTo(ALICE)).containsExactly(available, Stanzas.probe(ALICE_PHONE, ALICE));
  }

  @Test
  void aContactWithoutSubscriptionGetsNoPresenceAndNoProbe() {
    await(rosters.set(ALICE, RosterItem.of(BOB), Optional.empty()));
    passed.clear();

    online(ALICE_PHONE);

    assertThat(passedTo(BOB)).isEmpty();
  }

  @Test
  void aPreApprovedRequestIsApprovedByTheServer() {
    send("subscribed", BOB, ALICE);
    assertThat(item(BOB, ALICE).orElseThrow().approved()).isTrue();

    send("subscribe", ALICE, BOB);

    assertThat(subscription(ALICE, BOB)).isEqualTo(Subscription.TO);
    assertThat(item(BOB, ALICE).orElseThrow())
        .isEqualTo(RosterItem.of(ALICE).withSubscription(Subscription.FROM));
    assertThat(await(store.requests(BOB))).isEmpty();
  }

  @Test
  void aRequestAlreadyGrantedIsAnsweredByTheServer() {
    befriend();

    send("subscribe", ALICE, BOB);

    assertThat(subscription(ALICE, BOB)).isEqualTo(Subscription.BOTH);
    assertThat(await(store.requests(BOB))).isEmpty();
    assertThat(passedTo(BOB)).isEmpty();
  }

  @Test
  void unsubscribingStopsOneDirectionAndRetractsThePresence() {
    befriend();

    send("unsubscribe", ALICE, BOB);

    assertThat(subscription(ALICE, BOB)).isEqualTo(Subscription.FROM);
    assertThat(subscription(BOB, ALICE)).isEqualTo(Subscription.TO);
    assertThat(passedTo(BOB)).contains(presence("unsubscribe", ALICE, BOB),
        Stanzas.retract(ALICE, BOB));
  }

  @Test
  void denyingARequestClearsTheRequestersPendingOut() {
    send("subscribe", ALICE, BOB);

    send("unsubscribed", BOB, ALICE);

    assertThat(item(ALICE, BOB).orElseThrow()).isEqualTo(RosterItem.of(BOB));
    assertThat(await(store.requests(BOB))).isEmpty();
    assertThat(passedTo(ALICE)).contains(presence("unsubscribed", BOB, ALICE));
  }

  @Test
  void removingAnItemCancelsBothSubscriptionsAndPushesTheRemoval() {
    befriend();

    await(rosters.remove(ALICE, BOB));

    assertThat(item(ALICE, BOB)).isEmpty();
    assertThat(subscription(BOB, ALICE)).isEqualTo(Subscription.NONE);
    assertThat(passedTo(ALICE)).contains(Stanzas.retract(BOB, ALICE));
    assertThat(passedTo(ALICE).get(passedTo(ALICE).size() - 1))
        .contains("<item jid='bob@localhost' subscription='remove'/>");
    assertThat(passedTo(BOB)).contains(Stanzas.retract(ALICE, BOB),
        presence("unsubscribe", ALICE, BOB), presence("unsubscribed", ALICE, BOB));
    assertThatThrownBy(() -> await(rosters.remove(ALICE, BOB)))
        .isInstanceOfSatisfying(Rosters.Refused.class,
            r -> assertThat(r.condition).isEqualTo("item-not-found"));
  }

  @Test
  void lastActivityNeedsASubscriptionAndCountsFromTheLastUnavailablePresence() {
    assertThatThrownBy(() -> await(rosters.lastActivity(ALICE, BOB)))
        .isInstanceOfSatisfying(Rosters.Refused.class,
            r -> assertThat(r.condition).isEqualTo("forbidden"));
    befriend();
    online(BOB_LAPTOP);

    assertThat(await(rosters.lastActivity(ALICE, BOB))).isEqualTo(new Rosters.Idle(0, ""));

    await(rosters.presence(BOB_LAPTOP, RosterWire.UNAVAILABLE, new RosterWire.PresencePayload(
        "<presence xmlns='jabber:client' type='unavailable'/>", "gone fishing")));
    now = now.plusSeconds(42);

    assertThat(await(rosters.lastActivity(ALICE, BOB))).isEqualTo(new Rosters.Idle(42, "gone fishing"));
  }

  @Test
  void presenceFromSomethingOtherThanASessionsFullJidIsRefusedAndGoesNowhere() {
    befriend();
    RosterWire.PresencePayload p =
        new RosterWire.PresencePayload("<presence xmlns='jabber:client'/>", "");

    assertThatThrownBy(() -> await(rosters.presence(ALICE, RosterWire.INITIAL, p)))
        .isInstanceOfSatisfying(Rosters.Refused.class,
            r -> assertThat(r.condition).isEqualTo("bad-request"));
    assertThatThrownBy(() -> await(rosters.presence(ALICE + "/", RosterWire.INITIAL, p)))
        .isInstanceOfSatisfying(Rosters.Refused.class,
            r -> assertThat(r.condition).isEqualTo("jid-malformed"));
    assertThat(passed).isEmpty();
  }

  @Test
  void aBareJidIsTakenInItsPreparedFormAndSomethingElseIsRefusedAsMalformed() {
    assertThat(Rosters.bare("Alice@LocalHost/Phone")).isEqualTo("alice@localhost");
    assertThat(Rosters.bare(BOB)).isEqualTo(BOB);
    assertThatThrownBy(() -> Rosters.bare("@localhost"))
        .isInstanceOfSatisfying(Rosters.Refused.class,
            r -> assertThat(r.condition).isEqualTo("jid-malformed"));
  }
}

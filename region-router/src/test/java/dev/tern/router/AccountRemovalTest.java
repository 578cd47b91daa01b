package dev.tern.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.router.accounts.AccountRemoval;
import dev.tern.router.accounts.KnownAccounts;
import dev.tern.router.roster.RosterRouter;
import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.WireText;
import dev.tern.routing.accounts.AccountWire;
import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.InMemoryAccountStore;
import dev.tern.storage.blocking.InMemoryBlockListStore;
import dev.tern.storage.errors.StoreErrors;
import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.InMemoryUnreadQueue;
import dev.tern.storage.messages.StoredMessage;
import dev.tern.storage.pep.InMemoryPepStore;
import dev.tern.storage.pep.NodeConfig;
import dev.tern.storage.roster.InMemoryLastActivityStore;
import dev.tern.storage.roster.InMemoryRosterStore;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.Subscription;
import dev.tern.storage.roster.SubscriptionRequest;
import dev.tern.storage.vcard.InMemoryVCardStore;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** XEP-0077 §3.2 on the router: an account removed takes what it owns with it. */
class AccountRemovalTest {

  private static final String REGION = "region-a";
  private static final String ALICE = "alice@localhost";
  private static final String BOB = "bob@localhost";

  private final FakeNats nats = new FakeNats();
  private final InMemoryAccountStore accounts = new InMemoryAccountStore();
  private final InMemoryRosterStore rosters = new InMemoryRosterStore();
  private final InMemoryUnreadQueue unread = new InMemoryUnreadQueue();
  private final InMemoryBlockListStore blockLists = new InMemoryBlockListStore();
  private final InMemoryVCardStore vcards = new InMemoryVCardStore();
  private final InMemoryPepStore pep = new InMemoryPepStore();
  private final KnownAccounts known = new KnownAccounts(accounts, Clock.systemUTC());

  @BeforeEach
  void subscribe() {
    RosterRouter rosterRouter = new RosterRouter(nats.connection(), rosters,
        new InMemoryLastActivityStore(), StoreErrors.NONE, Clock.systemUTC());
    new AccountRemoval(nats.connection(), accounts, rosterRouter::removeAll, unread, blockLists,
        vcards, pep, known)
        .subscribe(nats.dispatcher(), REGION);
    for (String user : List.of("alice", "bob")) {
      await(accounts.create(new Account(user, Instant.now(), Map.of())));
    }
  }

  private Message remove(String user) {
    return nats.request(AccountWire.remove(REGION), new Headers()
        .add(MessageWire.USER, WireText.encode(user)),
        new byte[0]);
  }

  @Test
  void theAccountItsRosterQueueBlockListVCardAndPepNodesGo() {
    await(rosters.put(ALICE, RosterItem.of(BOB)));
    await(rosters.addRequest(ALICE, new SubscriptionRequest("carol@localhost",
        "<presence type='subscribe'/>", Instant.now())));
    for (int i = 0; i < 1_200; i++) { // more than a page
      await(unread.add(ALICE, new StoredMessage(ChatId.direct(ALICE, BOB), i + 1, "s" + i, BOB,
          ALICE, Optional.empty(), "<message/>", Instant.now())));
    }
    await(blockLists.block(ALICE, List.of("spam@localhost")));
    await(vcards.put(ALICE, "<vCard xmlns='vcard-temp'><NICKNAME>A</NICKNAME></vCard>",
        Instant.now()));
    await(vcards.put(BOB, "<vCard xmlns='vcard-temp'/>", Instant.now()));
    await(pep.configure(ALICE, "urn:xmpp:avatar:metadata", NodeConfig.DEFAULT));
    await(pep.configure(ALICE, "urn:xmpp:omemo:2:devices", NodeConfig.DEFAULT));
    await(pep.configure(BOB, "urn:xmpp:omemo:2:devices", NodeConfig.DEFAULT));
    assertThat(await(known.exists("alice"))).isTrue(); // remembered

    Message reply = remove(ALICE);

    assertThat(Refusal.from(reply.getHeaders())).isEmpty();
    assertThat(await(accounts.find("alice"))).isEmpty();
    assertThat(await(known.exists("alice"))).as("not answered from memory").isFalse();
    assertThat(await(rosters.items(ALICE))).isEmpty();
    assertThat(await(rosters.requests(ALICE))).isEmpty();
    assertThat(await(unread.peek(ALICE, 10))).isEmpty();
    assertThat(await(blockLists.blocked(ALICE))).isEmpty();
    assertThat(await(vcards.find(ALICE))).isEmpty();
    assertThat(await(vcards.find(BOB))).as("nobody else's vCard").isPresent();
    assertThat(await(pep.nodes(ALICE))).isEmpty();
    assertThat(await(pep.nodes(BOB))).as("nobody else's").hasSize(1);
    assertThat(await(accounts.find("bob"))).as("nobody else's").isPresent();
  }

  @Test
  void eachContactIsToldAndItsRosterFollows() { // RFC 6121 §2.5.3, as ejabberd does it
    await(rosters.put(ALICE, RosterItem.of(BOB).withSubscription(Subscription.BOTH)));
    await(rosters.put(BOB, RosterItem.of(ALICE).withSubscription(Subscription.BOTH)));

    assertThat(Refusal.from(remove(ALICE).getHeaders())).isEmpty();

    assertThat(await(rosters.item(BOB, ALICE))).hasValueSatisfying(item ->
        assertThat(item.subscription()).isEqualTo(Subscription.NONE));
    List<String> toBob = nats.published(MessageWire.user(BOB)).stream()
        .map(m -> new String(m.getData(), StandardCharsets.UTF_8)).toList();
    assertThat(toBob).anySatisfy(x -> assertThat(x).contains("type='unsubscribe'"))
        .anySatisfy(x -> assertThat(x).contains("type='unsubscribed'"));
  }

  @Test
  void aRemovalAnnouncedElsewhereIsForgottenHere() {
    assertThat(await(known.exists("bob"))).isTrue();
    await(accounts.delete("bob")); // by a router of another region

    nats.send(AccountWire.REMOVED, new Headers().add(MessageWire.USER, BOB), new byte[0]);

    assertThat(await(known.exists("bob"))).isFalse();
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}

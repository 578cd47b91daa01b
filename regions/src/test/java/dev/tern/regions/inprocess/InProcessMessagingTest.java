package dev.tern.regions.inprocess;

import static dev.tern.regions.inprocess.InProcessRegion.bare;
import static dev.tern.regions.inprocess.InProcessRegion.jid;
import static dev.tern.regions.inprocess.InProcessRegion.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.StoredMessage;
import dev.tern.storage.roster.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.blocking.BlockingCommandManager;
import org.jivesoftware.smackx.carbons.CarbonManager;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.sid.element.OriginIdElement;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alice and Bob with real Smack clients against an edge and a router in this JVM, over one local
 * nats-server and in-memory stores: what the federation tests prove of one region, without
 * Cassandra or Redis, in seconds.
 */
class InProcessMessagingTest {

  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @RegisterExtension
  static final InProcessRegion region = new InProcessRegion();

  private String alice;
  private String bob;

  @BeforeEach
  void aliceAndBobRegister() throws Exception {
    alice = region.registerNewUser("alice");
    bob = region.registerNewUser("bob");
  }

  // --- helpers

  private static MessageBuilder chat(XMPPTCPConnection from, String to, String body) {
    return from.getStanzaFactory().buildMessageStanza().to(jid(to)).ofType(Message.Type.chat)
        .setBody(body);
  }

  /** Every message {@code c} receives from now on, in order (a synchronous listener). */
  private static BlockingQueue<Message> inbox(XMPPTCPConnection c) {
    BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    c.addSyncStanzaListener(s -> inbox.add((Message) s), StanzaTypeFilter.MESSAGE);
    return inbox;
  }

  private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
    T t = queue.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(t).as("something within %s", PATIENCE).isNotNull();
    return t;
  }

  /** Sends {@code messages} and returns once the server acknowledged (stored) every one. */
  private static void sendAndAwaitAcks(XMPPTCPConnection from, List<Message> messages)
      throws Exception {
    assertThat(from.isSmEnabled()).as("XEP-0198 enabled").isTrue();
    AtomicInteger acked = new AtomicInteger();
    for (Message m : messages) {
      from.addStanzaIdAcknowledgedListener(m.getStanzaId(), s -> acked.incrementAndGet());
      from.sendStanza(m);
    }
    await().atMost(PATIENCE).untilAsserted(() -> {
      from.requestSmAcknowledgement();
      assertThat(acked.get()).isEqualTo(messages.size());
    });
  }

  private static List<StoredMessage> storedBetween(String a, String b) {
    return region.stores().messages().history(ChatId.direct(bare(a), bare(b)), 0, 100)
        .toCompletableFuture().join();
  }

  /** A connection whose roster approves every subscription request, logged in as {@code user}. */
  private static XMPPTCPConnection approvingAll(String user) throws Exception {
    XMPPTCPConnection c = region.tcp();
    Roster.getInstanceFor(c).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
    login(c, user);
    await().atMost(PATIENCE).until(Roster.getInstanceFor(c)::isLoaded);
    return c;
  }

  // --- tests

  @Test
  void alicesChatMessageReachesBobWithTheServersStanzaId() throws Exception {
    XMPPTCPConnection b = login(region.tcp(), bob);
    XMPPTCPConnection a = login(region.tcp(), alice);
    BlockingQueue<Message> bobs = inbox(b);

    a.sendStanza(chat(a, bob, "hello Bob").build());

    Message m = next(bobs);
    assertThat(m.getBody()).isEqualTo("hello Bob");
    assertThat(m.getType()).isEqualTo(Message.Type.chat);
    assertThat(m.getFrom().toString()).isEqualTo(a.getUser().toString());
    StanzaIdElement stanzaId = StanzaIdElement.getStanzaId(m);
    assertThat(stanzaId).as("XEP-0359 stanza-id").isNotNull();
    assertThat(stanzaId.getBy()).isEqualTo(bare(bob));
    assertThat(storedBetween(alice, bob)).extracting(StoredMessage::stanzaId)
        .containsExactly(stanzaId.getId());
  }

  @Test
  void messagesToAnOfflineBobAreStoredAndArriveInOrderWithADelayWhenHeLogsIn() throws Exception {
    XMPPTCPConnection a = login(region.tcp(), alice);
    List<Message> sent = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      sent.add(chat(a, bob, "while you were away " + i).build());
    }
    sendAndAwaitAcks(a, sent);
    assertThat(region.stores().unread().peek(bare(bob), 10).toCompletableFuture().join())
        .as("Bob's unread queue").hasSize(5);

    XMPPTCPConnection b = region.tcp();
    BlockingQueue<Message> bobs = inbox(b);
    login(b, bob);

    List<Message> got = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      got.add(next(bobs));
    }
    assertThat(got).extracting(Message::getBody).containsExactly("while you were away 1",
        "while you were away 2", "while you were away 3", "while you were away 4",
        "while you were away 5");
    assertThat(got).allSatisfy(m -> {
      assertThat(DelayInformation.from(m)).as("XEP-0203 delay").isNotNull();
      assertThat(StanzaIdElement.getStanzaId(m)).as("XEP-0359 stanza-id").isNotNull();
    });
    // XEP-0198: once Bob's client acknowledges them they leave his unread queue.
    b.sendSmAcknowledgement();
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(
        region.stores().unread().peek(bare(bob), 10).toCompletableFuture().join()).isEmpty());
  }

  @Test
  void aMessageIsAcknowledgedOnlyOnceTheMessageStoreHoldsIt() throws Exception {
    XMPPTCPConnection a = login(region.tcp(), alice);
    assertThat(a.isSmEnabled()).as("XEP-0198 enabled").isTrue();
    Message m = chat(a, bob, "persist me first").build();
    CompletableFuture<List<StoredMessage>> storedWhenAcked = new CompletableFuture<>();
    a.addStanzaIdAcknowledgedListener(m.getStanzaId(),
        acked -> storedWhenAcked.complete(storedBetween(alice, bob)));

    a.sendStanza(m);
    a.requestSmAcknowledgement();

    // What the store held when the <a/> covering the message reached Alice.
    List<StoredMessage> stored = storedWhenAcked.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(stored).singleElement().satisfies(s -> {
      assertThat(s.sender()).isEqualTo(bare(alice));
      assertThat(s.recipient()).isEqualTo(bare(bob));
      assertThat(s.stanzaXml()).contains("persist me first");
      assertThat(s.seq()).isPositive();
    });
  }

  @Test
  void aResendWithTheSameOriginIdIsStoredOnce() throws Exception {
    XMPPTCPConnection b = login(region.tcp(), bob);
    XMPPTCPConnection a = login(region.tcp(), alice);
    BlockingQueue<Message> bobs = inbox(b);
    List<Message> sent = new ArrayList<>();
    for (int i = 0; i < 2; i++) { // the client did not see its ack and sends again
      sent.add(chat(a, bob, "only once").addExtension(new OriginIdElement("resend-1")).build());
    }
    sent.add(chat(a, bob, "and then this").build());

    sendAndAwaitAcks(a, sent);

    assertThat(storedBetween(alice, bob)).extracting(s -> s.originId().orElse("none"))
        .containsExactly("resend-1", "none");
    assertThat(next(bobs).getBody()).isEqualTo("only once");
    assertThat(next(bobs).getBody()).isEqualTo("and then this");
  }

  @Test
  void bobSeesAliceAvailableOnceSheApprovesHisSubscription() throws Exception {
    XMPPTCPConnection a = approvingAll(alice);
    XMPPTCPConnection b = approvingAll(bob);
    Roster bobsRoster = Roster.getInstanceFor(b);

    bobsRoster.createItemAndRequestSubscription(jid(alice), "Alice", null);

    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(bobsRoster.getEntry(jid(alice))).isNotNull();
      assertThat(bobsRoster.getEntry(jid(alice)).getType()).isEqualTo(ItemType.to);
      assertThat(bobsRoster.getPresence(jid(alice)).isAvailable()).isTrue();
      assertThat(bobsRoster.getPresence(jid(alice)).getFrom().toString())
          .isEqualTo(a.getUser().toString());
    });
    assertThat(region.stores().rosters().item(bare(bob), bare(alice)).toCompletableFuture().join())
        .as("Bob's roster item for Alice, stored")
        .hasValueSatisfying(i -> assertThat(i.subscription()).isEqualTo(Subscription.TO));
  }

  @Test
  void alicesSecondResourceWithCarbonsEnabledGetsTheSentCopy() throws Exception {
    XMPPTCPConnection phone = login(region.tcp(), alice);
    XMPPTCPConnection laptop = login(region.directTls(), alice);
    CarbonManager laptopCarbons = CarbonManager.getInstanceFor(laptop);
    assertThat(laptopCarbons.isSupportedByServer()).as("urn:xmpp:carbons:2").isTrue();
    laptopCarbons.enableCarbons();
    BlockingQueue<CarbonExtension.Direction> directions = new LinkedBlockingQueue<>();
    BlockingQueue<Message> copies = new LinkedBlockingQueue<>();
    laptopCarbons.addCarbonCopyReceivedListener((direction, message, wrapper) -> {
      directions.add(direction);
      copies.add(message);
    });

    phone.sendStanza(chat(phone, bob, "sent from my phone").build());

    Message copy = next(copies);
    assertThat(next(directions)).isEqualTo(CarbonExtension.Direction.sent);
    assertThat(copy.getBody()).isEqualTo("sent from my phone");
    assertThat(copy.getFrom().toString()).isEqualTo(phone.getUser().toString());
    assertThat(copy.getTo().toString()).isEqualTo(bare(bob));
  }

  @Test
  void aMamQueryReturnsTheStoredMessagesInOrder() throws Exception {
    XMPPTCPConnection a = login(region.tcp(), alice);
    List<Message> sent = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      sent.add(chat(a, bob, "archived " + i).build());
    }
    sendAndAwaitAcks(a, sent);

    XMPPTCPConnection b = login(region.tcp(), bob);
    MamManager mam = MamManager.getInstanceFor(b);
    assertThat(mam.isSupported()).as("urn:xmpp:mam:2 on Bob's account").isTrue();
    MamManager.MamQuery q = mam.queryArchive(MamManager.MamQueryArgs.builder()
        .limitResultsToJid(jid(alice)).build());

    assertThat(q.getMessages()).extracting(Message::getBody)
        .containsExactly("archived 1", "archived 2", "archived 3");
    assertThat(q.getMamResultExtensions()).extracting(r -> r.getId())
        .containsExactlyElementsOf(storedBetween(alice, bob).stream()
            .map(StoredMessage::stanzaId).toList());
    assertThat(q.isComplete()).isTrue();
  }

  @Test
  void aBlockedSendersMessageIsRefusedWithAnErrorAndNotStored() throws Exception {
    XMPPTCPConnection a = login(region.tcp(), alice);
    BlockingCommandManager.getInstanceFor(a).blockContacts(List.of(jid(bob)));
    XMPPTCPConnection b = login(region.tcp(), bob);
    BlockingQueue<Message> bobs = inbox(b);

    b.sendStanza(chat(b, alice, "are you there?").build());

    Message error = next(bobs);
    assertThat(error.getType()).isEqualTo(Message.Type.error);
    assertThat(error.getError().getCondition())
        .isEqualTo(StanzaError.Condition.service_unavailable);
    assertThat(error.getFrom().asBareJid().toString()).isEqualTo(bare(alice));
    assertThat(storedBetween(bob, alice)).as("nothing stored").isEmpty();
  }

  @Test
  void aliceSetsHerVCardAndBobReadsItUnlessSheBlocksHim() throws Exception {
    XMPPTCPConnection a = login(region.tcp(), alice);
    XMPPTCPConnection b = login(region.tcp(), bob);
    VCardManager alices = VCardManager.getInstanceFor(a);
    VCardManager bobs = VCardManager.getInstanceFor(b);
    assertThat(bobs.loadVCard(jid(alice)).getNickName()).as("none yet: empty").isNull();
    VCard vcard = new VCard();
    vcard.setNickName("white rabbit");

    alices.saveVCard(vcard);

    assertThat(region.stores().vcards().find(bare(alice)).toCompletableFuture().get())
        .as("stored through the router").isPresent();
    assertThat(bobs.loadVCard(jid(alice)).getNickName()).isEqualTo("white rabbit");
    BlockingCommandManager.getInstanceFor(a).blockContacts(List.of(jid(bob)));
    assertThatThrownBy(() -> bobs.loadVCard(jid(alice)))
        .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
            assertThat(e.getStanzaError().getCondition())
                .isEqualTo(StanzaError.Condition.service_unavailable));
  }
}

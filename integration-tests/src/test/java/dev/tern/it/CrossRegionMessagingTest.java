package dev.tern.it;

import static dev.tern.it.Inboxes.bodies;
import static dev.tern.it.Inboxes.inbox;
import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.sid.element.OriginIdElement;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * One domain across regions: Alice is connected to region-a, Bob to region-b, and every 1:1 flow
 * works as on one server (online, offline, dedupe, order, history).
 */
@Order(25)
@ExtendWith(TestFederation.class)
class CrossRegionMessagingTest {

  private String alice;
  private String bob;

  @BeforeEach
  void twoUsers() throws Exception {
    alice = XmppClients.registerNewUser("region-a");
    bob = XmppClients.registerNewUser("region-b");
  }

  private static EntityBareJid jid(String user) throws Exception {
    return JidCreate.entityBareFrom(user + "@localhost");
  }


  private static Message message(XMPPTCPConnection from, String to, String body) throws Exception {
    return from.getStanzaFactory().buildMessageStanza().to(jid(to)).ofType(Message.Type.chat)
        .setBody(body).build();
  }


  /** Waits until the server acknowledged (stored) {@code n} messages of {@code c}. */
  private static void awaitStored(XMPPTCPConnection c, AtomicInteger acked, int n) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      c.requestSmAcknowledgement();
      assertThat(acked.get()).isGreaterThanOrEqualTo(n);
    });
  }

  private static AtomicInteger countAcks(XMPPTCPConnection c) {
    AtomicInteger acked = new AtomicInteger();
    c.addStanzaAcknowledgedListener(s -> {
      if (s instanceof Message) {
        acked.incrementAndGet();
      }
    });
    return acked;
  }

  @Test
  void bobInRegionBReceivesAlicesMessageFromRegionAAndAnswers() throws Exception {
    XMPPTCPConnection a = XmppClients.tcp("region-a");
    XMPPTCPConnection b = XmppClients.tcp("region-b");
    BlockingQueue<Message> aliceInbox = inbox(a);
    BlockingQueue<Message> bobInbox = inbox(b);
    login(a, alice);
    login(b, bob);
    try {
      a.sendStanza(message(a, bob, "hello from region-a"));
      Message got = bobInbox.poll(20, TimeUnit.SECONDS);
      assertThat(got).isNotNull();
      assertThat(got.getBody()).isEqualTo("hello from region-a");
      assertThat(got.getFrom().asBareJid().toString()).isEqualTo(alice + "@localhost");
      assertThat(StanzaIdElement.getStanzaId(got)).as("XEP-0359 stanza-id").isNotNull();

      b.sendStanza(message(b, alice, "hello from region-b"));
      assertThat(bodies(aliceInbox, 1)).containsExactly("hello from region-b");
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void messagesFromRegionAWaitForBobAndArriveInRegionBInOrderOnce() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    try {
      AtomicInteger acked = countAcks(a);
      for (int i = 1; i <= 20; i++) {
        a.sendStanza(message(a, bob, "while away " + i));
      }
      awaitStored(a, acked, 20);
    } finally {
      a.disconnect();
    }
    XMPPTCPConnection b = XmppClients.tcp("region-b");
    BlockingQueue<Message> inbox = inbox(b);
    login(b, bob);
    try {
      List<String> expected = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        expected.add("while away " + i);
      }
      List<Message> got = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Message m = inbox.poll(20, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        got.add(m);
      }
      assertThat(got).extracting(Message::getBody).containsExactlyElementsOf(expected);
      assertThat(got).allSatisfy(m -> assertThat(DelayInformation.from(m)).isNotNull());
      assertThat(inbox.poll(5, TimeUnit.SECONDS)).as("once (also after the late sweep)").isNull();
    } finally {
      b.disconnect();
    }
  }

  @Test
  void aMessageStoredInRegionAJustBeforeBobConnectsToRegionBReachesHim() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection b = XmppClients.tcp("region-b");
    BlockingQueue<Message> inbox = inbox(b);
    try {
      AtomicInteger acked = countAcks(a);
      a.sendStanza(message(a, bob, "stored a moment ago"));
      // As soon as region-a says "stored" (its datacenter has it; region-b's may not yet).
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).untilAsserted(() -> {
        a.requestSmAcknowledgement();
        assertThat(acked.get()).isEqualTo(1);
      });
      login(b, bob);
      assertThat(bodies(inbox, 1)).containsExactly("stored a moment ago");
      assertThat(inbox.poll(5, TimeUnit.SECONDS)).as("once").isNull();
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void aResendAcrossRegionsWithTheSameOriginIdIsDeliveredOnce() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection b = XmppClients.tcp("region-b");
    BlockingQueue<Message> inbox = inbox(b);
    login(b, bob);
    try {
      for (int i = 0; i < 3; i++) {
        a.sendStanza(a.getStanzaFactory().buildMessageStanza().to(jid(bob))
            .ofType(Message.Type.chat).setBody("only once")
            .addExtension(new OriginIdElement("cross-resend")).build());
      }
      assertThat(bodies(inbox, 1)).containsExactly("only once");
      assertThat(inbox.poll(3, TimeUnit.SECONDS)).as("delivered once").isNull();
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void aliceAndBobSendingAtOnceFromTwoRegionsSeeTheSameOrderInTheirHistory() throws Exception {
    int each = 50;
    XMPPTCPConnection a = XmppClients.tcp("region-a");
    XMPPTCPConnection b = XmppClients.tcp("region-b");
    BlockingQueue<Message> aliceInbox = inbox(a);
    BlockingQueue<Message> bobInbox = inbox(b);
    login(a, alice);
    login(b, bob);
    try {
      AtomicInteger aliceAcks = countAcks(a);
      AtomicInteger bobAcks = countAcks(b);
      CompletableFuture<Void> fromAlice = CompletableFuture.runAsync(() -> sendAll(a, bob, "A", each));
      CompletableFuture<Void> fromBob = CompletableFuture.runAsync(() -> sendAll(b, alice, "B", each));
      CompletableFuture.allOf(fromAlice, fromBob).get(120, TimeUnit.SECONDS);
      awaitStored(a, aliceAcks, each);
      awaitStored(b, bobAcks, each);

      // Each receives the other's messages in the order they were sent.
      assertThat(bodies(bobInbox, each)).containsExactlyElementsOf(expected("A", each));
      assertThat(bodies(aliceInbox, each)).containsExactlyElementsOf(expected("B", each));

      // Both histories hold the whole chat, interleaved identically (one sequence per chat).
      List<String> aliceView = history(a, bob);
      List<String> bobView = history(b, alice);
      assertThat(aliceView).hasSize(2 * each);
      assertThat(bobView).containsExactlyElementsOf(aliceView);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void aliceSeesInRegionBTheHistorySheMadeInRegionA() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    try {
      AtomicInteger acked = countAcks(a);
      for (int i = 1; i <= 10; i++) {
        a.sendStanza(message(a, bob, "history " + i));
      }
      awaitStored(a, acked, 10);
    } finally {
      a.disconnect();
    }
    XMPPTCPConnection elsewhere = login(XmppClients.tcp("region-b"), alice);
    try {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(history(elsewhere, bob)).containsExactlyElementsOf(expected("history ", 10)));
    } finally {
      elsewhere.disconnect();
    }
  }

  private static List<String> expected(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  private static void sendAll(XMPPTCPConnection c, String to, String prefix, int n) {
    try {
      for (int i = 1; i <= n; i++) {
        c.sendStanza(message(c, to, prefix + i));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> history(XMPPTCPConnection c, String with) throws Exception {
    MamManager mam = MamManager.getInstanceFor(c);
    assertThat(mam.isSupported()).isTrue(); // discovers the archive's version, as clients do
    MamManager.MamQuery q = mam.queryArchive(
        MamManager.MamQueryArgs.builder().limitResultsToJid(jid(with)).setResultPageSize(100)
            .build());
    List<Message> all = new ArrayList<>(q.getMessages());
    while (!q.isComplete()) {
      all.addAll(q.pageNext(100));
    }
    return all.stream().map(Message::getBody).toList();
  }
}

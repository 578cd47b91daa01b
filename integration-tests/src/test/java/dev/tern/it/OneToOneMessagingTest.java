package dev.tern.it;

import static dev.tern.it.Inboxes.bodies;
import static dev.tern.it.Inboxes.inbox;
import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.storage.CassandraStorage;
import dev.tern.storage.messages.CassandraUnreadQueue;
import dev.tern.storage.messages.UnreadQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.impl.JidCreate;

/** Alice writes to Bob: stored in Cassandra first, then delivered, or kept until Bob is back. */
@Order(17)
@ExtendWith(TestFederation.class)
class OneToOneMessagingTest {

  private String alice;
  private String bob;

  @BeforeEach
  void twoUsers() throws Exception {
    alice = XmppClients.registerNewUser("region-a");
    bob = XmppClients.registerNewUser("region-a");
  }


  private void send(XMPPTCPConnection from, String body) throws Exception {
    from.sendStanza(from.getStanzaFactory().buildMessageStanza()
        .to(JidCreate.entityBareFrom(bob + "@localhost")).ofType(Message.Type.chat)
        .setBody(body).build());
  }


  @Test
  void bobOnlineReceivesAlicesMessageWithTheServersStanzaId() throws Exception {
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    try {
      BlockingQueue<Message> inbox = inbox(b);
      send(a, "hello Bob");

      Message m = inbox.poll(15, TimeUnit.SECONDS);
      assertThat(m).isNotNull();
      assertThat(m.getBody()).isEqualTo("hello Bob");
      assertThat(m.getFrom().asBareJid().toString()).isEqualTo(alice + "@localhost");
      assertThat(StanzaIdElement.getStanzaId(m)).as("XEP-0359 stanza-id").isNotNull();
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void messagesForAnOfflineBobWaitAndArriveInOrderWithTheirDelayOnceAndOnlyOnce()
      throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    try {
      java.util.concurrent.atomic.AtomicInteger acked = new java.util.concurrent.atomic.AtomicInteger();
      a.addStanzaAcknowledgedListener(s -> {
        if (s instanceof Message) {
          acked.incrementAndGet();
        }
      });
      for (int i = 1; i <= 5; i++) {
        send(a, "while you were away " + i);
      }
      // XEP-0198: the server acknowledges a message only once it is stored ("sent").
      a.requestSmAcknowledgement();
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        a.requestSmAcknowledgement();
        assertThat(acked.get()).isEqualTo(5);
      });
    } finally {
      a.disconnect();
    }

    XMPPTCPConnection b = XmppClients.tcp("region-a");
    BlockingQueue<Message> inbox = inbox(b);
    login(b, bob);
    try {
      List<Message> got = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Message m = inbox.poll(15, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        got.add(m);
      }
      assertThat(got).extracting(Message::getBody).containsExactly("while you were away 1",
          "while you were away 2", "while you were away 3", "while you were away 4",
          "while you were away 5");
      assertThat(got).allSatisfy(m ->
          assertThat(DelayInformation.from(m)).as("XEP-0203 delay").isNotNull());
      // Bob's device acknowledges what it got (XEP-0198); the server then drops it from his
      // unread queue, which the test watches in Cassandra rather than guessing a delay.
      b.sendSmAcknowledgement();
      try (CassandraStorage storage = CassandraStorage.connect(
          TestFederation.regionConfig("region-a").cassandraConfig())) {
        UnreadQueue queue = new CassandraUnreadQueue(storage.session(), storage.config().keyspace());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
            queue.peek(bob + "@localhost", 10).toCompletableFuture().get()).isEmpty());
      }
    } finally {
      b.disconnect();
    }

    // Acknowledged by Bob's device: they left the unread queue.
    XMPPTCPConnection again = XmppClients.tcp("region-a");
    BlockingQueue<Message> second = inbox(again);
    login(again, bob);
    try {
      assertThat(second.poll(3, TimeUnit.SECONDS)).as("nothing delivered twice").isNull();
    } finally {
      again.disconnect();
    }
  }

  @Test
  void aBurstOfMessagesArrivesInTheOrderItWasSent() throws Exception {
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    try {
      BlockingQueue<Message> inbox = inbox(b);
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        sent.add("burst " + i);
        send(a, "burst " + i);
      }

      assertThat(bodies(inbox, 30)).containsExactlyElementsOf(sent);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void aResendWithTheSameOriginIdIsStoredAndDeliveredOnce() throws Exception {
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    try {
      BlockingQueue<Message> inbox = inbox(b);
      for (int i = 0; i < 2; i++) { // the client did not see its ack and sends again
        a.sendStanza(a.getStanzaFactory().buildMessageStanza()
            .to(JidCreate.entityBareFrom(bob + "@localhost")).ofType(Message.Type.chat)
            .setBody("only once")
            .addExtension(new org.jivesoftware.smackx.sid.element.OriginIdElement("resend-1"))
            .build());
      }
      send(a, "and then this");

      Message first = inbox.poll(15, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(first.getBody()).isEqualTo("only once");
      assertThat(bodies(inbox, 1)).containsExactly("and then this");
      // The resend was acknowledged with the original's stanza-id: Alice can read it back by
      // her origin-id (urn:tern:receipts:0), and it is the one Bob got.
      assertThat(ReceiptStatusQuery.ask(a, bob + "@localhost", "resend-1").get("resend-1"))
          .containsEntry("stanza-id", StanzaIdElement.getStanzaId(first).getId());
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void tenThousandMessagesForAnOfflineBobArriveCompleteAndInOrder() throws Exception {
    int n = 10_000;
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    List<String> sent = new ArrayList<>();
    try {
      java.util.concurrent.atomic.AtomicInteger acked = new java.util.concurrent.atomic.AtomicInteger();
      a.addStanzaAcknowledgedListener(s -> {
        if (s instanceof Message) {
          acked.incrementAndGet();
        }
      });
      for (int i = 0; i < n; i++) {
        sent.add("queued " + i);
        send(a, "queued " + i);
      }
      await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> {
        a.requestSmAcknowledgement();
        assertThat(acked.get()).isEqualTo(n);
      });
    } finally {
      a.disconnect();
    }

    XMPPTCPConnection b = XmppClients.tcp("region-a");
    BlockingQueue<Message> inbox = inbox(b);
    login(b, bob);
    try {
      assertThat(bodies(inbox, n)).containsExactlyElementsOf(sent);
    } finally {
      b.disconnect();
    }
  }

  @Test
  void aMessageNoDeviceTookFiresTheOfflineHookAndOneBobReceivedDoesNot() throws Exception {
    var servers = Regions.config("region-a").nats().servers();
    try (io.nats.client.Connection nats = io.nats.client.Nats.connect(io.nats.client.Options
        .builder().servers(servers.toArray(String[]::new)).build())) {
      io.nats.client.Subscription hook = nats.subscribe(
          dev.tern.router.push.NatsOfflineHook.subject("region-a"));
      nats.flush(Duration.ofSeconds(5));
      XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
      try {
        send(a, "for offline Bob");
        io.nats.client.Message event = hook.nextMessage(Duration.ofSeconds(15));
        assertThat(event).as("offline hook").isNotNull();
        assertThat(event.getHeaders().getFirst("Tern-User")).isEqualTo(bob + "@localhost");
        assertThat(event.getHeaders().getFirst("Tern-From")).isEqualTo(alice + "@localhost");

        XMPPTCPConnection b = XmppClients.tcp("region-a");
        BlockingQueue<Message> inbox = inbox(b);
        login(b, bob);
        try {
          assertThat(bodies(inbox, 1)).containsExactly("for offline Bob");
          send(a, "for online Bob");
          assertThat(bodies(inbox, 1)).containsExactly("for online Bob");
          assertThat(hook.nextMessage(Duration.ofSeconds(3))).as("no hook for online Bob").isNull();
        } finally {
          b.disconnect();
        }
      } finally {
        a.disconnect();
      }
    }
  }
}

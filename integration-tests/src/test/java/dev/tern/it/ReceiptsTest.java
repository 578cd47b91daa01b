package dev.tern.it;

import static dev.tern.it.Inboxes.inbox;
import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.storage.CassandraStorage;
import dev.tern.storage.messages.CassandraUnreadQueue;
import dev.tern.storage.messages.StoredMessage;
import dev.tern.storage.messages.UnreadQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.chat_markers.element.ChatMarkersElements;
import org.jivesoftware.smackx.chatstates.ChatState;
import org.jivesoftware.smackx.chatstates.packet.ChatStateExtension;
import org.jivesoftware.smackx.receipts.DeliveryReceipt;
import org.jivesoftware.smackx.receipts.DeliveryReceiptRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Receipts (XEP-0184) and chat markers (XEP-0333): Bob's device acknowledges Alice's message,
 * Alice gets the receipt wherever and whenever she is online, the server stores how far her
 * message got and answers her status query; chat states (XEP-0085) are never stored.
 */
@Order(20)
@ExtendWith(TestFederation.class)
class ReceiptsTest {

  private String alice;
  private String bob;

  @BeforeEach
  void twoUsers() throws Exception {
    alice = XmppClients.registerNewUser("region-a");
    bob = XmppClients.registerNewUser("region-a");
  }


  private static Message next(BlockingQueue<Message> inbox) throws InterruptedException {
    Message m = inbox.poll(15, TimeUnit.SECONDS);
    assertThat(m).as("a message within 15 s").isNotNull();
    return m;
  }

  /** Alice's message to Bob asking for a receipt, with the id the receipt will name. */
  private String aliceWritesToBob(XMPPTCPConnection a, String body) throws Exception {
    Message m = a.getStanzaFactory().buildMessageStanza()
        .to(JidCreate.entityBareFrom(bob + "@localhost")).ofType(Message.Type.chat)
        .setBody(body).addExtension(new DeliveryReceiptRequest())
        .addExtension(ChatMarkersElements.MarkableExtension.INSTANCE).build();
    a.sendStanza(m);
    return m.getStanzaId();
  }

  private void bobAnswers(XMPPTCPConnection b, ExtensionElement receiptOrMarker) throws Exception {
    b.sendStanza(b.getStanzaFactory().buildMessageStanza()
        .to(JidCreate.entityBareFrom(alice + "@localhost")).ofType(Message.Type.chat)
        .addExtension(receiptOrMarker).build());
  }

  private Map<String, String> statusOf(XMPPTCPConnection a, String id) throws Exception {
    return ReceiptStatusQuery.ask(a, bob + "@localhost", id).get(id);
  }

  @Test
  void bobsReceiptFromAnotherRegionReachesAliceAndHerMessageIsDelivered() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection b = login(XmppClients.tcp("region-b"), bob);
    try {
      BlockingQueue<Message> aliceInbox = inbox(a);
      BlockingQueue<Message> bobInbox = inbox(b);
      String id = aliceWritesToBob(a, "did you get this?");
      Message got = next(bobInbox);
      assertThat(got.getStanzaId()).isEqualTo(id);
      assertThat(statusOf(a, id)).containsEntry("state", "sent");

      bobAnswers(b, new DeliveryReceipt(id));

      Message receipt = next(aliceInbox);
      assertThat(DeliveryReceipt.from(receipt)).isNotNull();
      assertThat(DeliveryReceipt.from(receipt).getId()).isEqualTo(id);
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        Map<String, String> status = statusOf(a, id);
        assertThat(status).containsEntry("state", "delivered").containsKey("delivered");
        assertThat(Instant.parse(status.get("delivered"))).isBefore(Instant.now().plusSeconds(5));
      });
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void aReceiptWaitsForAnOfflineAliceAndArrivesWhenSheLogsIn() throws Exception {
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    String id;
    try {
      BlockingQueue<Message> bobInbox = inbox(b);
      XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
      try {
        id = aliceWritesToBob(a, "I am going offline");
        assertThat(next(bobInbox).getStanzaId()).isEqualTo(id);
      } finally {
        a.disconnect();
      }
      bobAnswers(b, new DeliveryReceipt(id));
      // Bob's ack of his receipt means it is stored (XEP-0198 counts it once stored).
      b.requestSmAcknowledgement();
    } finally {
      b.disconnect();
    }

    XMPPTCPConnection a = XmppClients.tcp("region-b");
    BlockingQueue<Message> aliceInbox = inbox(a);
    login(a, alice);
    try {
      Message receipt = next(aliceInbox);
      assertThat(DeliveryReceipt.from(receipt)).isNotNull();
      assertThat(DeliveryReceipt.from(receipt).getId()).isEqualTo(id);
      String sent = id;
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
          assertThat(statusOf(a, sent)).containsEntry("state", "delivered"));
    } finally {
      a.disconnect();
    }
  }

  @Test
  void aDisplayedMarkerMarksAlicesMessageDisplayedAndDelivered() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    try {
      BlockingQueue<Message> aliceInbox = inbox(a);
      BlockingQueue<Message> bobInbox = inbox(b);
      String read = aliceWritesToBob(a, "read me");
      String unread = aliceWritesToBob(a, "not read yet");
      next(bobInbox);
      next(bobInbox);

      bobAnswers(b, new ChatMarkersElements.DisplayedExtension(read));
      next(aliceInbox);

      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        Map<String, Map<String, String>> status =
            ReceiptStatusQuery.ask(a, bob + "@localhost", read, unread, "no-such-message");
        assertThat(status.get(read)).containsEntry("state", "displayed")
            .containsKeys("delivered", "displayed");
        assertThat(status.get(unread)).containsEntry("state", "sent");
        assertThat(status.get("no-such-message")).containsEntry("state", "unknown");
      });
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void aReceiptTakesTheMessageOutOfBobsUnreadQueueWithoutStreamManagement() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection b = XmppClients.tcp("region-a");
    b.setUseStreamManagement(false);
    BlockingQueue<Message> bobInbox = inbox(b);
    login(b, bob);
    try (CassandraStorage storage = CassandraStorage.connect(
        TestFederation.regionConfig("region-a").cassandraConfig())) {
      UnreadQueue queue = new CassandraUnreadQueue(storage.session(), storage.config().keyspace());
      assertThat(b.isSmEnabled()).isFalse();
      String id = aliceWritesToBob(a, "ack me without SM");
      assertThat(next(bobInbox).getStanzaId()).isEqualTo(id);
      // Delivered but not acknowledged: it still waits in Bob's queue.
      assertThat(queue.peek(bob + "@localhost", 10).toCompletableFuture().get())
          .extracting(StoredMessage::stanzaXml).anySatisfy(x -> assertThat(x).contains(id));

      bobAnswers(b, new DeliveryReceipt(id));

      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
          queue.peek(bob + "@localhost", 10).toCompletableFuture().get()).isEmpty());
    } finally {
      a.disconnect();
      b.disconnect();
    }

    XMPPTCPConnection again = XmppClients.tcp("region-a");
    again.setUseStreamManagement(false);
    BlockingQueue<Message> second = inbox(again);
    login(again, bob);
    try {
      assertThat(second.poll(3, TimeUnit.SECONDS)).as("nothing delivered again").isNull();
    } finally {
      again.disconnect();
    }
  }

  @Test
  void chatStatesReachAnOnlineBobButAreNeverStoredForAnOfflineOne() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    try {
      XMPPTCPConnection b = XmppClients.tcp("region-b");
      BlockingQueue<Message> bobInbox = inbox(b);
      login(b, bob);
      try {
        sendChatState(a, ChatState.composing);
        Message typing = next(bobInbox);
        assertThat(chatState(typing)).isEqualTo(ChatState.composing);
      } finally {
        b.disconnect();
      }

      // Bob is offline: the notification goes nowhere; the message after it waits for him.
      sendChatState(a, ChatState.paused);
      a.sendStanza(a.getStanzaFactory().buildMessageStanza()
          .to(JidCreate.entityBareFrom(bob + "@localhost")).ofType(Message.Type.chat)
          .setBody("after the chat state").build());
      a.requestSmAcknowledgement();
    } finally {
      a.disconnect();
    }

    XMPPTCPConnection b = XmppClients.tcp("region-a");
    BlockingQueue<Message> bobInbox = inbox(b);
    login(b, bob);
    try {
      Message first = next(bobInbox);
      assertThat(first.getBody()).isEqualTo("after the chat state");
      assertThat(chatState(first)).isNull();
    } finally {
      b.disconnect();
    }
  }

  private static ChatState chatState(Message m) {
    return m.getExtension(ChatStateExtension.NAMESPACE) instanceof ChatStateExtension e
        ? e.getChatState() : null;
  }

  private void sendChatState(XMPPTCPConnection a, ChatState state) throws Exception {
    a.sendStanza(a.getStanzaFactory().buildMessageStanza()
        .to(JidCreate.entityBareFrom(bob + "@localhost")).ofType(Message.Type.chat)
        .addExtension(new ChatStateExtension(state)).build());
  }
}

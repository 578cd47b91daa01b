package dev.tern.it;

import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.regions.launcher.Federation;
import dev.tern.regions.launcher.Processes;
import dev.tern.storage.CassandraStorage;
import dev.tern.storage.messages.CassandraMessageStore;
import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.StoredMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.sid.element.OriginIdElement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A router dies (its JVM halts, as kill -9 would) after it stored a message and before it
 * answered: the sender never heard "sent", resends with the same origin-id, and the message is
 * stored once and reaches the recipient once.
 */
@Order(23)
@ExtendWith(TestFederation.class)
class RouterCrashTest {

  @AfterEach
  void regionAIsBackToNormal() throws Exception {
    TestFederation.get().federation().restartRegion("region-a", Map.of());
  }

  @Test
  void aMessageStoredByARouterThatDiedBeforeAnsweringIsStoredAndDeliveredOnceWhenResent()
      throws Exception {
    Federation federation = TestFederation.get().federation();
    String alice = XmppClients.registerNewUser("region-b");
    String bob = XmppClients.registerNewUser("region-b");
    String origin = "crash-" + UUID.randomUUID();
    federation.restartRegion("region-a", Map.of("TERN_FAULTS_HALT_AFTER_PERSIST", origin));

    XMPPTCPConnection b = XmppClients.tcp("region-b");
    BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    b.addSyncStanzaListener(s -> inbox.add((Message) s), StanzaTypeFilter.MESSAGE);
    login(b, bob);
    try {
      XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
      a.sendStanza(message(a, bob, origin));
      // region-a's process (edge and router) halts right after storing it, before any ack.
      await().atMost(Duration.ofSeconds(30)).until(() ->
          Processes.running(federation.layout(), "tern-region-a").isEmpty());
      a.instantShutdown();

      federation.restartRegion("region-a", Map.of());
      XMPPTCPConnection again = login(XmppClients.tcp("region-a"), alice);
      try {
        again.sendStanza(message(again, bob, origin)); // what a client does with an unacked stanza
        Message got = inbox.poll(30, TimeUnit.SECONDS);
        assertThat(got).as("the stored message reaches Bob when it is resent").isNotNull();
        assertThat(got.getBody()).isEqualTo("sent as the router died");
        assertThat(inbox.poll(3, TimeUnit.SECONDS)).as("delivered once").isNull();
      } finally {
        again.disconnect();
      }
    } finally {
      b.disconnect();
    }

    try (CassandraStorage storage = CassandraStorage.connect(
        TestFederation.regionConfig("region-b").cassandraConfig())) {
      CassandraMessageStore store =
          new CassandraMessageStore(storage.session(), storage.config().keyspace());
      List<StoredMessage> history = store.history(
          ChatId.direct(alice + "@localhost", bob + "@localhost"), 0, 100)
          .toCompletableFuture().get();
      assertThat(history).as("stored once").hasSize(1);
      assertThat(history.get(0).originId()).isEqualTo(Optional.of(origin));
    }
  }

  private static Message message(XMPPTCPConnection from, String to, String origin)
      throws Exception {
    return from.getStanzaFactory().buildMessageStanza()
        .to(JidCreate.entityBareFrom(to + "@localhost")).ofType(Message.Type.chat)
        .setBody("sent as the router died").addExtension(new OriginIdElement(origin)).build();
  }
}

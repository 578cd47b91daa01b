package dev.tern.it;

import static dev.tern.it.Inboxes.inbox;
import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tern.storage.CassandraStorage;
import dev.tern.storage.blocking.CassandraBlockListStore;
import dev.tern.storage.messages.CassandraUnreadQueue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.blocking.BlockingCommandManager;
import org.jivesoftware.smackx.blocking.element.BlockListIQ;
import org.jivesoftware.smackx.blocking.element.BlockedErrorExtension;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0191 Blocking Command: Alice blocks Bob; his messages and IQs do not reach her (he gets
 * service-unavailable, as if she were offline), hers do not reach him (she gets not-acceptable
 * with {@code <blocked/>}); nothing of it is stored; after an unblock messages flow again.
 */
@Order(22)
@ExtendWith(TestFederation.class)
class BlockingTest {

  private String alice;
  private String bob;

  @BeforeEach
  void twoUsers() throws Exception {
    alice = XmppClients.registerNewUser("region-a");
    bob = XmppClients.registerNewUser("region-a");
  }

  private static EntityBareJid jid(String user) throws Exception {
    return JidCreate.entityBareFrom(user + "@localhost");
  }


  private static void send(XMPPTCPConnection from, String to, String body) throws Exception {
    from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(jid(to))
        .ofType(Message.Type.chat).setBody(body).build());
  }

  private static Message next(BlockingQueue<Message> inbox) throws Exception {
    Message m = inbox.poll(15, TimeUnit.SECONDS);
    assertThat(m).as("a message within 15 s").isNotNull();
    return m;
  }

  /** What the server holds, asked afresh (Smack's manager would answer from its cache). */
  private static List<Jid> blockList(XMPPTCPConnection c) throws Exception {
    return ((BlockListIQ) c.sendIqRequestAndWaitForResponse(new BlockListIQ())).getBlockedJids();
  }

  private static void block(XMPPTCPConnection c, String user) throws Exception {
    BlockingCommandManager.getInstanceFor(c).blockContacts(List.of(jid(user)));
  }

  /** A raw {@code <block/>} or {@code <unblock/>} with the given items' XML. */
  private static IQ command(String element, String itemsXml) {
    IQ iq = new IQ(element, "urn:xmpp:blocking") {
      @Override
      protected IQChildElementXmlStringBuilder getIQChildElementBuilder(
          IQChildElementXmlStringBuilder xml) {
        xml.rightAngleBracket();
        xml.append(itemsXml);
        return xml;
      }
    };
    iq.setType(IQ.Type.set);
    return iq;
  }

  @Test
  void aBlockIsOnTheServersListAndPushedToTheUsersOtherResourceInTheOtherRegion()
      throws Exception {
    XMPPTCPConnection phone = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection laptop = login(XmppClients.tcp("region-b"), alice);
    try {
      BlockingQueue<List<Jid>> pushed = new LinkedBlockingQueue<>();
      BlockingCommandManager.getInstanceFor(laptop).addJidsBlockedListener(pushed::add);
      assertThat(BlockingCommandManager.getInstanceFor(phone).isSupportedByServer())
          .as("urn:xmpp:blocking in the server's disco#info").isTrue();
      assertThat(blockList(phone)).isEmpty();

      block(phone, bob);

      assertThat(blockList(phone)).extracting(Jid::toString).containsExactly(bob + "@localhost");
      // Region-b's router reads region-b's datacenter, which has the change once replicated.
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(blockList(laptop))
          .extracting(Jid::toString).containsExactly(bob + "@localhost"));
      List<Jid> push = pushed.poll(15, TimeUnit.SECONDS);
      assertThat(push).as("the block push").isNotNull();
      assertThat(push).extracting(Jid::toString).containsExactly(bob + "@localhost");
    } finally {
      phone.disconnect();
      laptop.disconnect();
    }
  }

  @Test
  void aBlockedUsersMessageIsServiceUnavailableAndNeverReachesTheBlockerNotEvenLater()
      throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    try {
      block(a, bob);
    } finally {
      a.disconnect();
    }

    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    try {
      BlockingQueue<Message> bobs = inbox(b);
      send(b, alice, "are you there?");

      Message error = next(bobs);
      assertThat(error.getType()).isEqualTo(Message.Type.error);
      assertThat(error.getError().getCondition())
          .isEqualTo(StanzaError.Condition.service_unavailable);
      assertThat(error.getFrom().asBareJid().toString()).isEqualTo(alice + "@localhost");
      assertThat(error.getBody()).isEqualTo("are you there?");
    } finally {
      b.disconnect();
    }

    try (CassandraStorage storage = CassandraStorage.connect(
        TestFederation.regionConfig("region-a").cassandraConfig())) {
      assertThat(new CassandraUnreadQueue(storage.session(), storage.config().keyspace())
          .peek(alice + "@localhost", 10).toCompletableFuture().get())
          .as("not in Alice's unread queue").isEmpty();
    }
    XMPPTCPConnection later = XmppClients.tcp("region-a");
    BlockingQueue<Message> alices = inbox(later);
    login(later, alice);
    try {
      assertThat(alices.poll(3, TimeUnit.SECONDS)).as("nothing delivered at login").isNull();
    } finally {
      later.disconnect();
    }
  }

  @Test
  void aBlockedUsersMessageDoesNotReachTheBlockerOnline() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    try {
      BlockingQueue<Message> alices = inbox(a);
      BlockingQueue<Message> bobs = inbox(b);
      block(a, bob);

      send(b, alice, "blocked");
      assertThat(next(bobs).getError().getCondition())
          .isEqualTo(StanzaError.Condition.service_unavailable);
      // Had a router taken Bob's message, it would have published it to Alice right after
      // answering him; a message Alice sends herself after that answer comes later on the same
      // subject, so it marks the end of what she could have got.
      send(a, alice, "marker");
      assertThat(next(alices).getBody()).isEqualTo("marker");
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void aMessageToABlockedUserIsNotAcceptableWithTheBlockedCondition() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    try {
      BlockingQueue<Message> alices = inbox(a);
      BlockingQueue<Message> bobs = inbox(b);
      block(a, bob);

      send(a, bob, "can you hear me now?");

      Message error = next(alices);
      assertThat(error.getType()).isEqualTo(Message.Type.error);
      assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.not_acceptable);
      assertThat(error.getError().getType()).isEqualTo(StanzaError.Type.CANCEL);
      assertThat(BlockedErrorExtension.isInside(error))
          .as("<blocked xmlns='urn:xmpp:blocking:errors'/>").isTrue();
      send(b, bob, "marker");
      assertThat(next(bobs).getBody()).as("Bob got nothing before").isEqualTo("marker");
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void anIqFromABlockedUserIsServiceUnavailableAndOneToHimNotAcceptable() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    try {
      assertThat(b.sendIqRequestAndWaitForResponse(new Ping(a.getUser())).getType())
          .isEqualTo(IQ.Type.result);
      block(a, bob);

      assertThatThrownBy(() -> b.sendIqRequestAndWaitForResponse(new Ping(a.getUser())))
          .isInstanceOfSatisfying(XMPPErrorException.class, e ->
              assertThat(e.getStanzaError().getCondition())
                  .isEqualTo(StanzaError.Condition.service_unavailable));
      assertThatThrownBy(() -> a.sendIqRequestAndWaitForResponse(new Ping(b.getUser())))
          .isInstanceOfSatisfying(XMPPErrorException.class, e ->
              assertThat(e.getStanzaError().getCondition())
                  .isEqualTo(StanzaError.Condition.not_acceptable));
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void afterAnUnblockMessagesFlowAgain() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    try {
      BlockingQueue<Message> alices = inbox(a);
      BlockingQueue<Message> bobs = inbox(b);
      block(a, bob);
      send(b, alice, "blocked");
      assertThat(next(bobs).getType()).isEqualTo(Message.Type.error);

      BlockingCommandManager.getInstanceFor(a).unblockContacts(List.of(jid(bob)));
      assertThat(blockList(a)).isEmpty();

      send(b, alice, "hello again");
      assertThat(next(alices).getBody()).isEqualTo("hello again");
      send(a, bob, "welcome back");
      assertThat(next(bobs).getBody()).isEqualTo("welcome back");
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void anEmptyUnblockUnblocksEveryone() throws Exception {
    String carol = XmppClients.registerNewUser("region-a");
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    try {
      BlockingCommandManager.getInstanceFor(a).blockContacts(List.of(jid(bob), jid(carol),
          JidCreate.from("spam.example")));
      assertThat(blockList(a)).hasSize(3);

      BlockingCommandManager.getInstanceFor(a).unblockAll();

      assertThat(blockList(a)).isEmpty();
    } finally {
      a.disconnect();
    }
  }

  @Test
  void aBlockWithoutItemsIsABadRequestAndAMalformedJidIsJidMalformed() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    try {
      assertThatThrownBy(() -> a.sendIqRequestAndWaitForResponse(command("block", "")))
          .isInstanceOfSatisfying(XMPPErrorException.class, e ->
              assertThat(e.getStanzaError().getCondition())
                  .isEqualTo(StanzaError.Condition.bad_request));
      assertThatThrownBy(() -> a.sendIqRequestAndWaitForResponse(
          command("block", "<item jid='@localhost'/>")))
          .isInstanceOfSatisfying(XMPPErrorException.class, e ->
              assertThat(e.getStanzaError().getCondition())
                  .isEqualTo(StanzaError.Condition.jid_malformed));
      assertThat(blockList(a)).isEmpty();
    } finally {
      a.disconnect();
    }
  }

  @Test
  void aBlockMadeInOneRegionHoldsForASenderInTheOtherWhoseRouterHadTheOldList()
      throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection b = login(XmppClients.tcp("region-b"), bob);
    try {
      BlockingQueue<Message> alices = inbox(a);
      BlockingQueue<Message> bobs = inbox(b);
      send(b, alice, "before"); // region-b's router now holds Alice's empty list
      assertThat(next(alices).getBody()).isEqualTo("before");

      block(a, bob);
      // Cassandra replicates between datacenters on its own time; wait until region-b's has it.
      try (CassandraStorage storage = CassandraStorage.connect(
          TestFederation.regionConfig("region-b").cassandraConfig())) {
        CassandraBlockListStore inRegionB =
            new CassandraBlockListStore(storage.session(), storage.config().keyspace());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
            inRegionB.blocked(alice + "@localhost").toCompletableFuture().get())
            .contains(bob + "@localhost"));
      }

      send(b, alice, "after");
      Message error = next(bobs);
      assertThat(error.getBody()).isEqualTo("after");
      assertThat(error.getError().getCondition())
          .isEqualTo(StanzaError.Condition.service_unavailable);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }
}

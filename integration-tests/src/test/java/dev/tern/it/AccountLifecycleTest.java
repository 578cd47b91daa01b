package dev.tern.it;

import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.mam.MamManager;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;

/**
 * An account's life on the real federation: messages to a name nobody registered are refused
 * (RFC 6121 §8.5.2.1.1), and a user removes their account (XEP-0077 §3.2): every session of it,
 * in both regions, is closed, it cannot log in, messages to it are refused, and whoever registers
 * the name later starts with nothing of it (roster, queue, archive); a password change closes the
 * account's other sessions, in both regions.
 */
@Order(23)
@ExtendWith(TestFederation.class)
class AccountLifecycleTest {

  private static EntityBareJid jid(String user) throws Exception {
    return JidCreate.entityBareFrom(user + "@localhost");
  }

  private static void send(XMPPTCPConnection from, String to, String body) throws Exception {
    from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(jid(to))
        .ofType(Message.Type.chat).setBody(body).build());
  }

  private static Message next(BlockingQueue<Message> inbox) throws Exception {
    Message m = inbox.poll(20, TimeUnit.SECONDS);
    assertThat(m).as("a message within 20 s").isNotNull();
    return m;
  }

  @Test
  void aMessageToANameNobodyRegisteredIsServiceUnavailableAndNeverWaitsForTheName()
      throws Exception {
    String alice = XmppClients.registerNewUser("region-a");
    String nobody = "nobody" + System.nanoTime();
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    a.addSyncStanzaListener(s -> inbox.add((Message) s), StanzaTypeFilter.MESSAGE);
    try {
      send(a, nobody, "anyone there?");

      Message error = next(inbox);
      assertThat(error.getType()).isEqualTo(Message.Type.error);
      assertThat(error.getError().getCondition())
          .isEqualTo(StanzaError.Condition.service_unavailable);
    } finally {
      a.disconnect();
    }
    registerAs(nobody);
    XMPPTCPConnection n = XmppClients.tcp("region-b");
    BlockingQueue<Message> theirs = new LinkedBlockingQueue<>();
    n.addSyncStanzaListener(s -> theirs.add((Message) s), StanzaTypeFilter.MESSAGE);
    login(n, nobody);
    try {
      assertThat(theirs.poll(3, TimeUnit.SECONDS)).as("nothing queued for the name").isNull();
    } finally {
      n.disconnect();
    }
  }

  @Test
  void aRemovedAccountsSessionsCloseEverywhereAndTheNameStartsAfreshLater() throws Exception {
    String alice = XmppClients.registerNewUser("region-a");
    String bob = XmppClients.registerNewUser("region-a");
    XMPPTCPConnection phone = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection laptop = login(XmppClients.tcp("region-b"), alice);
    XMPPTCPConnection b = XmppClients.tcp("region-a");
    BlockingQueue<Message> bobs = new LinkedBlockingQueue<>();
    b.addSyncStanzaListener(s -> bobs.add((Message) s), StanzaTypeFilter.MESSAGE);
    login(b, bob);
    try {
      Roster.getInstanceFor(phone).createItem(jid(bob), "Bob", null);
      send(b, alice, "before the removal"); // archived for her

      assertThat(XmppClients.removeAccount(phone).getType()).as("answered, not failed")
          .isEqualTo(IQ.Type.result);

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(phone.isConnected()).as("region-a's session").isFalse();
        assertThat(laptop.isConnected()).as("region-b's session").isFalse();
      });
      assertThatThrownBy(() -> login(XmppClients.tcp("region-a"), alice))
          .as("no account to log in to").isNotNull();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        send(b, alice, "after the removal");
        Message error = bobs.poll(3, TimeUnit.SECONDS);
        assertThat(error).isNotNull();
        assertThat(error.getError().getCondition())
            .isEqualTo(StanzaError.Condition.service_unavailable);
      });

      registerAs(alice);
      XMPPTCPConnection again = XmppClients.tcp("region-a");
      BlockingQueue<Message> hers = new LinkedBlockingQueue<>();
      again.addSyncStanzaListener(s -> hers.add((Message) s), StanzaTypeFilter.MESSAGE);
      login(again, alice);
      try {
        Roster roster = Roster.getInstanceFor(again);
        roster.reloadAndWait();
        assertThat(roster.getEntries()).as("roster").isEmpty();
        assertThat(hers.poll(3, TimeUnit.SECONDS)).as("nothing queued").isNull();
        MamManager mam = MamManager.getInstanceFor(again);
        assertThat(mam.isSupported()).isTrue(); // Smack learns the MAM version from it
        assertThat(mam.queryArchive(MamManager.MamQueryArgs.builder().build()).getMessages())
            .as("nothing of the old account's archive").isEmpty();
      } finally {
        again.disconnect();
      }
    } finally {
      phone.disconnect();
      laptop.disconnect();
      b.disconnect();
    }
  }

  @Test
  void aPasswordChangeClosesTheAccountsSessionsInTheOtherRegionButNotItsOwn() throws Exception {
    String alice = XmppClients.registerNewUser("region-a");
    XMPPTCPConnection phone = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection laptop = login(XmppClients.tcp("region-b"), alice);
    try {
      AccountManager.getInstance(phone).changePassword("a brand new password");

      await().atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(laptop.isConnected()).as("region-b's session").isFalse());
      assertThat(phone.isConnected()).as("the session that changed it").isTrue();
      assertThatThrownBy(() -> login(XmppClients.tcp("region-b"), alice))
          .as("the old password").isNotNull();
      XMPPTCPConnection again = XmppClients.tcp("region-b");
      again.connect();
      again.login(alice, "a brand new password");
      again.disconnect();
    } finally {
      phone.disconnect();
      laptop.disconnect();
    }
  }

  private static void registerAs(String user) throws Exception {
    XMPPTCPConnection c = XmppClients.tcp("region-a");
    try {
      c.connect();
      AccountManager.getInstance(c).createAccount(Localpart.from(user), XmppClients.PASSWORD);
    } finally {
      c.disconnect();
    }
  }
}

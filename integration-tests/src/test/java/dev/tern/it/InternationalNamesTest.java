package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.mam.MamManager;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * JIDs are Unicode (RFC 7622): users named in other scripts, with resources to match, register,
 * log in, subscribe to each other and exchange messages across regions, live and from the
 * archive, like anyone else (every JID crosses NATS in headers, which are ASCII).
 */
@Order(30)
@ExtendWith(TestFederation.class)
class InternationalNamesTest {

  private static String register(String region, String name) throws Exception {
    XMPPTCPConnection c = XmppClients.tcp(region);
    try {
      c.connect();
      AccountManager.getInstance(c).createAccount(Localpart.from(name), XmppClients.PASSWORD);
    } finally {
      c.disconnect();
    }
    return name;
  }

  private static XMPPTCPConnection login(String region, String name, String resource)
      throws Exception {
    XMPPTCPConnection c = XmppClients.tcp(region);
    c.connect();
    c.login(name, XmppClients.PASSWORD, Resourcepart.from(resource));
    return c;
  }

  @Test
  void usersNamedInOtherScriptsTalkAcrossRegions() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 6);
    String zoe = register("region-a", "zoë-" + tag);
    String nihon = register("region-b", "日本-" + tag);
    EntityBareJid zoeJid = JidCreate.entityBareFrom(zoe + "@localhost");
    EntityBareJid nihonJid = JidCreate.entityBareFrom(nihon + "@localhost");

    XMPPTCPConnection a = login("region-a", zoe, "téléphone");
    BlockingQueue<Message> toNihon = new LinkedBlockingQueue<>();
    XMPPTCPConnection b = XmppClients.tcp("region-b");
    b.addSyncStanzaListener(s -> toNihon.add((Message) s), StanzaTypeFilter.MESSAGE);
    b.connect();
    b.login(nihon, XmppClients.PASSWORD, Resourcepart.from("電話"));
    try {
      // RFC 6121 §3: a subscription both ways, across regions
      Roster.getInstanceFor(b).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
      Roster.getInstanceFor(a).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
      Roster.getInstanceFor(a).createItemAndRequestSubscription(nihonJid, "日本", null);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        RosterEntry entry = Roster.getInstanceFor(a).getEntry(nihonJid);
        assertThat(entry).isNotNull();
        assertThat(entry.canSeeHisPresence()).isTrue();
      });
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        Presence seen = Roster.getInstanceFor(a).getPresence(nihonJid);
        assertThat(seen.isAvailable()).isTrue();
        assertThat(seen.getFrom().toString()).isEqualTo(nihon + "@localhost/電話");
      });

      a.sendStanza(a.getStanzaFactory().buildMessageStanza().to(nihonJid)
          .ofType(Message.Type.chat).setBody("こんにちは, ça va ?").build());
      Message got = toNihon.poll(20, TimeUnit.SECONDS);
      assertThat(got).isNotNull();
      assertThat(got.getBody()).isEqualTo("こんにちは, ça va ?");
      assertThat(got.getFrom().toString()).isEqualTo(zoe + "@localhost/téléphone");

      MamManager mam = MamManager.getInstanceFor(b);
      assertThat(mam.isSupported()).isTrue(); // Smack learns the MAM version from it
      // The archive was written in the sender's region: region-b has it once Cassandra
      // replicated it, which may be after the message itself arrived.
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(mam.queryArchive(MamManager.MamQueryArgs.builder()
                  .limitResultsToJid(zoeJid).build()).getMessages())
              .extracting(Message::getBody).containsExactly("こんにちは, ça va ?"));
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }
}

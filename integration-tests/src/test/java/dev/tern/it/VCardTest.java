package dev.tern.it;

import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tern.storage.CassandraStorage;
import dev.tern.storage.vcard.CassandraVCardStore;
import java.time.Duration;
import java.util.List;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.blocking.BlockingCommandManager;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0054 vcard-temp across regions, with Smack's {@code VCardManager}: Alice sets her vCard in
 * region-a, Bob reads it from region-b (the vCards' table replicates to every datacenter); a user
 * Alice blocked cannot read it, and it goes with her account.
 */
@Order(22)
@ExtendWith(TestFederation.class)
class VCardTest {

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

  private static VCard withNickname(String nickname) {
    VCard vcard = new VCard();
    vcard.setNickName(nickname);
    vcard.setFirstName("Alice");
    vcard.setLastName("Liddell");
    return vcard;
  }

  @Test
  void aliceSetsHerVCardInRegionAAndBobReadsItFromRegionB() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection b = login(XmppClients.tcp("region-b"), bob);
    try {
      VCardManager alices = VCardManager.getInstanceFor(a);
      assertThat(alices.isSupported(JidCreate.domainBareFrom("localhost")))
          .as("vcard-temp in the server's disco#info").isTrue();
      assertThat(alices.loadVCard().getNickName()).as("nothing set yet: an empty vCard").isNull();

      alices.saveVCard(withNickname("white-rabbit-" + alice));

      assertThat(alices.loadVCard().getNickName()).isEqualTo("white-rabbit-" + alice);
      // Region-b's router reads region-b's datacenter, which has it once replicated.
      VCardManager bobs = VCardManager.getInstanceFor(b);
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        VCard read = bobs.loadVCard(jid(alice));
        assertThat(read.getNickName()).isEqualTo("white-rabbit-" + alice);
        assertThat(read.getLastName()).isEqualTo("Liddell");
      });
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void aUserAliceBlockedCannotReadHerVCard() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection b = login(XmppClients.tcp("region-b"), bob);
    try {
      VCardManager.getInstanceFor(a).saveVCard(withNickname("alice"));
      BlockingCommandManager.getInstanceFor(a).blockContacts(List.of(jid(bob)));

      // XEP-0191 §3.3: an IQ from a blocked user is service-unavailable, once region-b knows.
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
          assertThatThrownBy(() -> VCardManager.getInstanceFor(b).loadVCard(jid(alice)))
              .isInstanceOfSatisfying(XMPPErrorException.class, e ->
                  assertThat(e.getStanzaError().getCondition())
                      .isEqualTo(StanzaError.Condition.service_unavailable)));
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void aRemovedAccountsVCardIsGone() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection b = login(XmppClients.tcp("region-b"), bob);
    try {
      VCardManager.getInstanceFor(a).saveVCard(withNickname("alice"));
      VCardManager bobs = VCardManager.getInstanceFor(b);
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
          assertThat(bobs.loadVCard(jid(alice)).getNickName()).isEqualTo("alice"));

      assertThat(XmppClients.removeAccount(a).getType()).isEqualTo(IQ.Type.result);

      // RFC 6121 §8.5.1: an account that does not exist is service-unavailable.
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
          assertThatThrownBy(() -> bobs.loadVCard(jid(alice)))
              .isInstanceOfSatisfying(XMPPErrorException.class, e ->
                  assertThat(e.getStanzaError().getCondition())
                      .isEqualTo(StanzaError.Condition.service_unavailable)));
      try (CassandraStorage storage = CassandraStorage.connect(
          TestFederation.regionConfig("region-a").cassandraConfig())) {
        assertThat(new CassandraVCardStore(storage.session(), storage.config().keyspace())
            .find(alice + "@localhost").toCompletableFuture().get())
            .as("the vCard's row is deleted with the account").isEmpty();
      }
    } finally {
      if (a.isConnected()) {
        a.disconnect();
      }
      b.disconnect();
    }
  }
}

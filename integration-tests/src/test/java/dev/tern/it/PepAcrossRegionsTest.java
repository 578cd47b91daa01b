package dev.tern.it;

import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * PEP (XEP-0163) across the federation, as OMEMO (XEP-0384) and avatars (XEP-0084) use it:
 * Alice in region-a publishes her OMEMO device list and bundle (open access, as XEP-0384 asks)
 * and her avatar (data and metadata); Bob in region-b, her contact, is notified of the device
 * list and the avatar metadata his client asked for with +notify, and reads her bundle and the
 * avatar's data, byte for byte.
 */
@Order(24)
@ExtendWith(TestFederation.class)
class PepAcrossRegionsTest {

  private static final String DEVICES = "urn:xmpp:omemo:2:devices";
  private static final String BUNDLE = "urn:xmpp:omemo:2:bundles";
  private static final String AVATAR_DATA = "urn:xmpp:avatar:data";
  private static final String AVATAR_META = "urn:xmpp:avatar:metadata";
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  /** An IQ whose child element is {@code xml}, as written. */
  private static IQ iq(IQ.Type type, BareJid to, String xml) {
    IQ iq = new IQ("pubsub", "http://jabber.org/protocol/pubsub") {
      @Override
      protected IQChildElementXmlStringBuilder getIQChildElementBuilder(
          IQChildElementXmlStringBuilder b) {
        b.rightAngleBracket();
        b.append(xml);
        return b;
      }
    };
    iq.setType(type);
    iq.setTo(to);
    return iq;
  }

  private static String publish(String node, String id, String payload, String access) {
    return "<publish node='" + node + "'><item id='" + id + "'>" + payload + "</item></publish>"
        + "<publish-options><x xmlns='jabber:x:data' type='submit'>"
        + "<field var='FORM_TYPE' type='hidden'>"
        + "<value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
        + "<field var='pubsub#access_model'><value>" + access + "</value></field>"
        + "</x></publish-options>";
  }

  private static String items(XMPPTCPConnection c, BareJid owner, String node) throws Exception {
    IQ result = c.sendIqRequestAndWaitForResponse(iq(IQ.Type.get, owner,
        "<items node='" + node + "'/>"));
    return result.toXML().toString();
  }

  @Test
  void omemoDevicesBundlesAndAnAvatarPublishedInOneRegionReachAContactInTheOther()
      throws Exception {
    String alice = XmppClients.registerNewUser("region-a");
    String bob = XmppClients.registerNewUser("region-a");
    BareJid aliceJid = JidCreate.bareFrom(alice + "@localhost");
    BareJid bobJid = JidCreate.bareFrom(bob + "@localhost");
    XMPPTCPConnection a = XmppClients.tcp("region-a");
    XMPPTCPConnection b = XmppClients.tcp("region-b");
    Roster.getInstanceFor(a).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
    Roster.getInstanceFor(b).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
    BlockingQueue<Message> bobs = new LinkedBlockingQueue<>();
    b.addAsyncStanzaListener(s -> bobs.add((Message) s), StanzaTypeFilter.MESSAGE);
    // Bob's client wants the device lists and avatar metadata of his contacts (XEP-0163 §4.3).
    ServiceDiscoveryManager.getInstanceFor(b).addFeature(DEVICES + "+notify");
    ServiceDiscoveryManager.getInstanceFor(b).addFeature(AVATAR_META + "+notify");
    login(a, alice);
    login(b, bob);
    try {
      Roster.getInstanceFor(a).createItemAndRequestSubscription(bobJid, "Bob", null);
      Roster.getInstanceFor(b).createItemAndRequestSubscription(aliceJid, "Alice", null);
      await().atMost(PATIENCE).until(() -> {
        var e = Roster.getInstanceFor(a).getEntry(bobJid);
        var f = Roster.getInstanceFor(b).getEntry(aliceJid);
        return e != null && e.getType() == ItemType.both && f != null
            && f.getType() == ItemType.both;
      });

      String devices = "<devices xmlns='" + DEVICES + "'><device id='12345'/></devices>";
      a.sendIqRequestAndWaitForResponse(iq(IQ.Type.set, aliceJid,
          publish(DEVICES, "current", devices, "open")));
      String bundle = "<bundle xmlns='urn:xmpp:omemo:2'><spk id='0'>c3BrCg==</spk>"
          + "<spks>c3Brcwo=</spks><ik>aWsK</ik><prekeys><pk id='1'>cGsxCg==</pk></prekeys>"
          + "</bundle>";
      a.sendIqRequestAndWaitForResponse(iq(IQ.Type.set, aliceJid,
          publish(BUNDLE, "12345", bundle, "open")));
      String png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
      String sha1 = "5a1fd52b58e6e2fb58a5bf0f6b37b12ed0c02b34";
      a.sendIqRequestAndWaitForResponse(iq(IQ.Type.set, aliceJid,
          publish(AVATAR_DATA, sha1, "<data xmlns='" + AVATAR_DATA + "'>" + png + "</data>",
              "presence")));
      a.sendIqRequestAndWaitForResponse(iq(IQ.Type.set, aliceJid,
          publish(AVATAR_META, sha1, "<metadata xmlns='" + AVATAR_META + "'><info bytes='70' "
              + "id='" + sha1 + "' height='1' width='1' type='image/png'/></metadata>",
              "presence")));

      // Bob, in the other region, is told of the device list and of the avatar.
      List<String> events = new java.util.ArrayList<>();
      await().atMost(PATIENCE).untilAsserted(() -> {
        for (Message m; (m = bobs.poll(100, TimeUnit.MILLISECONDS)) != null; ) {
          events.add(m.toXML().toString());
        }
        assertThat(events).anyMatch(e -> e.contains("node='" + DEVICES + "'")
            && e.contains("id='12345'"));
        assertThat(events).anyMatch(e -> e.contains("node='" + AVATAR_META + "'")
            && e.contains(sha1));
      });
      assertThat(events).as("nothing he did not ask for")
          .noneMatch(e -> e.contains("node='" + BUNDLE + "'"));

      // And reads the bundle and the avatar's data from there.
      assertThat(items(b, aliceJid, BUNDLE)).contains("aWsK").contains("id='12345'");
      assertThat(items(b, aliceJid, AVATAR_DATA)).contains(png);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }
}

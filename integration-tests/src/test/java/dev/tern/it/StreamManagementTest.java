package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.directory.GlobalDirectory;
import dev.tern.directory.sm.RedisResumptionStore;
import dev.tern.regions.launcher.Federation;
import dev.tern.regions.launcher.Member;
import dev.tern.regions.launcher.Processes;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * XEP-0198: acks, and resumption that survives the edge process: the resumable state lives in
 * Redis Cluster, so a client whose edge is killed resumes on another edge of the region.
 */
@Order(13)
@ExtendWith(TestFederation.class)
class StreamManagementTest {

  private static final String SECOND_EDGE = "tern-region-a-edge2";
  private static final int OFFSET = 100; // 5322 / 5323 / 5380
  private static String alice;
  private static String bob;
  private static Member edge2;

  @BeforeAll
  static void twoUsersAndASecondEdge() throws Exception {
    alice = XmppClients.registerNewUser("region-a");
    bob = XmppClients.registerNewUser("region-a");
    edge2 = TestFederation.get().federation().startExtraEdge("region-a", SECOND_EDGE, OFFSET);
  }

  @AfterAll
  static void stopTheSecondEdge() throws Exception {
    TestFederation.get().federation().stopMember(SECOND_EDGE);
  }

  private static RawTlsSession onSecondEdge() throws Exception {
    var c2s = edge2.endpoints().get(1);
    return RawTlsSession.startTls("region-a", c2s.host(), c2s.port());
  }

  private static String bind(RawTlsSession s) throws Exception {
    s.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
    Matcher m = Pattern.compile("<jid>([^<]+)</jid>").matcher(s.await("<iq[^>]*id='b1'.*?</iq>"));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static String enable(RawTlsSession s) throws Exception {
    s.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
    Matcher m = Pattern.compile("id='([^']+)'").matcher(s.await("<enabled[^>]*/>"));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void theServerAdvertisesStreamManagementAndAnswersAckRequests() throws Exception {
    try (RawTlsSession s = RawTlsSession.startTls("region-a")) {
      assertThat(s.login(alice, XmppClients.PASSWORD)).contains("urn:xmpp:sm:3");
      bind(s);
      enable(s);
      s.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
      s.await("<iq[^>]*id='p1'[^>]*/>");
      s.send("<r xmlns='urn:xmpp:sm:3'/>");

      assertThat(s.await("<a [^>]*/>")).contains("h='1'");
    }
  }

  @Test
  void aClientWhoseEdgeIsKilledResumesOnAnotherEdgeAndGetsWhatItHadNotAcknowledged()
      throws Exception {
    Federation federation = TestFederation.get().federation();
    String id;
    String jid;
    try (RawTlsSession first = onSecondEdge()) {
      first.login(alice, XmppClients.PASSWORD);
      jid = bind(first);
      id = enable(first);
      first.send("<iq type='get' id='p2'><ping xmlns='urn:xmpp:ping'/></iq>");
      first.await("<iq[^>]*id='p2'[^>]*/>"); // received, never acknowledged

      // kill -9 the edge: nothing it held in memory survives.
      Processes.running(federation.layout(), SECOND_EDGE).orElseThrow().destroyForcibly();
    }

    try (RawTlsSession again = RawTlsSession.startTls("region-a")) {
      again.login(alice, XmppClients.PASSWORD);
      again.send("<resume xmlns='urn:xmpp:sm:3' previd='" + id + "' h='0'/>");

      String resumed = again.await("<resumed[^>]*/>");
      assertThat(resumed).contains("previd='" + id + "'").contains("h='1'");
      assertThat(again.await("<iq[^>]*id='p2'[^>]*/>")).as("the unacknowledged result, again")
          .contains("type='result'");
      again.send("<iq type='get' id='p3'><ping xmlns='urn:xmpp:ping'/></iq>");
      assertThat(again.await("<iq[^>]*id='p3'[^>]*/>")).contains("to='" + jid + "'");
    } finally {
      edge2 = federation.startExtraEdge("region-a", SECOND_EDGE, OFFSET);
    }
  }

  @Test
  void aSessionResumedOnAnotherEdgeKeepsItsCarbonsAndIsAvailableAgainWithItsPresence()
      throws Exception {
    Federation federation = TestFederation.get().federation();
    String carol = XmppClients.registerNewUser("region-a"); // gets the copied message, unread
    String id;
    String jid;
    try (RawTlsSession first = onSecondEdge()) {
      first.login(alice, XmppClients.PASSWORD);
      jid = bind(first);
      first.send("<iq type='set' id='c1'><enable xmlns='urn:xmpp:carbons:2'/></iq>");
      first.await("<iq[^>]*id='c1'[^>]*/>");
      id = enable(first);
      first.send("<presence><status>resumable</status></presence>");
      // both are kept with the stream's state before the edge dies
      try (GlobalDirectory directory = GlobalDirectory.connect(
          TestFederation.regionConfig("region-a").directoryConfig())) {
        String key = RedisResumptionStore.key(id);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
            "1".equals(directory.redis().hget(key, "carbons"))
                && String.valueOf(directory.redis().hget(key, "presence")).contains("resumable"));
      }
      Processes.running(federation.layout(), SECOND_EDGE).orElseThrow().destroyForcibly();
    }

    try (RawTlsSession phone = RawTlsSession.startTls("region-a");
        RawTlsSession again = RawTlsSession.startTls("region-a")) {
      // alice's other device comes online after the edge died, so it saw no presence of jid yet
      phone.login(alice, XmppClients.PASSWORD);
      bind(phone);
      phone.send("<presence/>");

      again.login(alice, XmppClients.PASSWORD);
      again.send("<resume xmlns='urn:xmpp:sm:3' previd='" + id + "' h='0'/>");
      again.await("<resumed[^>]*/>");

      assertThat(phone.await("<presence[^>]*from='" + Pattern.quote(jid) + "'.*?</presence>"))
          .as("the resumed session is available again, with its status")
          .contains("<status>resumable</status>");
      phone.send("<message to='" + carol + "@localhost' type='chat' id='carbon1'>"
          + "<body>from the phone</body></message>");
      assertThat(again.await("<message.*?</message>"))
          .as("the resumed session still gets carbon copies")
          .contains("urn:xmpp:carbons:2").contains("from the phone");
    } finally {
      edge2 = federation.startExtraEdge("region-a", SECOND_EDGE, OFFSET);
    }
  }

  @Test
  void resumingAnotherUsersStreamFailsWithItemNotFound() throws Exception {
    String id;
    try (RawTlsSession alices = RawTlsSession.startTls("region-a")) {
      alices.login(alice, XmppClients.PASSWORD);
      bind(alices);
      id = enable(alices);

      try (RawTlsSession bobs = RawTlsSession.startTls("region-a")) {
        bobs.login(bob, XmppClients.PASSWORD);
        bobs.send("<resume xmlns='urn:xmpp:sm:3' previd='" + id + "' h='0'/>");

        assertThat(bobs.await("<failed.*?(/>|</failed>)")).contains("item-not-found");
      }
      // Alice's stream is untouched.
      alices.send("<r xmlns='urn:xmpp:sm:3'/>");
      assertThat(alices.await("<a [^>]*/>")).contains("h='0'");
    }
  }

  @Test
  void aMessageDeliveredByAnEdgeKilledBeforeTheAckArrivesAgainAfterReconnect() throws Exception {
    Federation federation = TestFederation.get().federation();
    String marker = "kept until acknowledged " + System.nanoTime();
    try (RawTlsSession bobs = onSecondEdge()) {
      bobs.login(bob, XmppClients.PASSWORD);
      bind(bobs);
      enable(bobs);
      try (RawTlsSession alices = RawTlsSession.startTls("region-a")) {
        alices.login(alice, XmppClients.PASSWORD);
        bind(alices);
        alices.send("<message type='chat' to='" + bob + "@localhost' id='k1'><body>" + marker
            + "</body></message>");
        // Bob's device receives it but never acknowledges it; then its edge dies (kill -9).
        assertThat(bobs.await("<message.*?</message>")).contains(marker);
      }
      Processes.running(federation.layout(), SECOND_EDGE).orElseThrow().destroyForcibly();
    }
    try (RawTlsSession again = RawTlsSession.startTls("region-a")) {
      again.login(bob, XmppClients.PASSWORD);
      bind(again);

      String redelivered = again.await("<message.*?</message>");
      assertThat(redelivered).contains(marker).contains("urn:xmpp:delay");
    } finally {
      edge2 = federation.startExtraEdge("region-a", SECOND_EDGE, OFFSET);
    }
  }
}

package dev.tern.edge.session;

import static dev.tern.edge.session.TestClient.SM;
import static dev.tern.edge.session.TestClient.xml;
import static dev.tern.edge.session.XmppSessionStanzaTest.live;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.xmpp.xml.XmlElement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0198 on a session: enabling, the client's stanzas counted once handled (a message once
 * stored), the server's stanzas counted until acknowledged, and resumption on a new connection
 * from the region's resumption store.
 */
class XmppSessionStreamManagementTest {

  private static final String PING = "<iq type='get' id='%s'><ping xmlns='urn:xmpp:ping'/></iq>";

  private final TestEdge edge = TestEdge.create().account("alice", "secret")
      .account("bob", "secret");
  private final FakeMessaging router = edge.messaging();

  private TestClient phone() {
    return edge.webSocket().login("alice", "secret", "phone");
  }

  private static XmlElement ack(long h) {
    return xml("<a xmlns='" + SM + "' h='" + h + "'/>");
  }

  private static XmlElement request() {
    return xml("<r xmlns='" + SM + "'/>");
  }

  // ---- enabling (§3) ----

  @Test
  void enablingAfterBindingIsAnsweredWithAResumableId() {
    TestClient alice = phone();

    XmlElement enabled = alice.enableSm();

    assertThat(enabled.attribute("id")).isPresent();
    assertThat(enabled.attribute("resume")).contains("true");
    assertThat(enabled.attribute("max")).contains("300");
    assertThat(router.unreadReads()).hasSize(1); // the client is ready for what waited
  }

  @Test
  void enablingWithoutResumptionHasNoId() {
    TestClient alice = phone();

    alice.send("<enable xmlns='" + SM + "'/>");

    assertThat(alice.next()).isEqualTo(xml("<enabled xmlns='" + SM + "'/>"));
  }

  @Test
  void enablingTwiceFailsWithUnexpectedRequest() {
    TestClient alice = phone();
    alice.enableSm();

    alice.send("<enable xmlns='" + SM + "'/>");

    assertThat(alice.next()).isEqualTo(xml("<failed xmlns='" + SM + "'>"
        + "<unexpected-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>"));
  }

  @Test
  void enablingBeforeBindingFailsWithUnexpectedRequest() {
    TestClient alice = edge.webSocket();
    alice.authenticate("alice", "secret");

    alice.send("<enable xmlns='" + SM + "'/>");

    assertThat(alice.next().name()).isEqualTo("failed");
  }

  @Test
  void anAckRequestWithoutStreamManagementGetsUnsupportedStanzaType() {
    TestClient alice = phone();

    alice.send("<r xmlns='" + SM + "'/>");

    alice.assertStreamError("unsupported-stanza-type");
  }

  // ---- the client's stanzas (§4) ----

  @Test
  void anAckRequestIsAnsweredWithTheCountOfHandledStanzas() {
    TestClient alice = phone();
    alice.enableSm();
    alice.send("<r xmlns='" + SM + "'/>");
    assertThat(alice.next()).isEqualTo(ack(0));

    alice.send(PING.formatted("p1")).send(PING.formatted("p2"));
    alice.drain();
    alice.send("<r xmlns='" + SM + "'/>");

    assertThat(alice.next()).isEqualTo(ack(2));
  }

  @Test
  void aMessageIsCountedOnlyOnceStoredAndAnAckFollowsThen() {
    TestClient alice = phone();
    alice.enableSm();
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat'><body>1</body></message>");
    alice.send(PING.formatted("p1")); // waits for the message (RFC 6120 §10.1)

    alice.send("<r xmlns='" + SM + "'/>");
    // Persist before ack: the message is not handled yet, so neither is the ping behind it.
    assertThat(alice.next()).isEqualTo(ack(0));
    alice.assertNothingMore();

    router.lastSend().store("s1", 1);

    // The answer, and unsolicited, once both are handled, the ack.
    assertThat(alice.drain()).containsExactlyInAnyOrder(ack(2), xml("<iq xmlns='jabber:client'"
        + " type='result' id='p1' to='alice@localhost/phone'/>"));
  }

  @Test
  void aMessageThatCouldNotBeStoredIsStillCountedAsHandled() {
    TestClient alice = phone();
    alice.enableSm();
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>1</body></message>");

    router.lastSend().fail();
    assertThat(alice.next().attribute("type")).contains("error");
    alice.send("<r xmlns='" + SM + "'/>");

    assertThat(alice.next()).isEqualTo(ack(1)); // the error answered it
  }

  // ---- the server's stanzas ----

  @Test
  void theServerAsksForAnAckOnceFiveStanzasAreUnacknowledged() {
    TestClient alice = phone();
    alice.enableSm();

    for (int i = 1; i <= 4; i++) {
      alice.send(PING.formatted("p" + i));
    }
    assertThat(alice.drain()).extracting(XmlElement::name).containsOnly("iq");
    alice.send(PING.formatted("p5"));

    // The fifth answer waits for its resumption-store write; the <r/> it made due follows it, so
    // the client's h can cover it.
    assertThat(alice.drain()).extracting(XmlElement::name).containsExactly("iq", "r");
  }

  @Test
  void anAckRequestWaitsWhileTheClientsStanzasAreStillBeingHandled() {
    // The resumption store answers the appends of unacknowledged stanzas when the test says so,
    // as Redis answers a moment later.
    LateResumptionStore late = new LateResumptionStore();
    TestEdge lateEdge = TestEdge.withResumptionStore(late.store()).account("alice", "secret");
    FakeMessaging lateRouter = lateEdge.messaging();
    TestClient alice = lateEdge.webSocket().login("alice", "secret", "phone");
    alice.enableSm();
    for (int i = 1; i <= 5; i++) {
      alice.send(PING.formatted("p" + i));
    }
    // The fifth answer made an <r/> due; it waits behind the answers, which wait for the store.
    assertThat(alice.drain()).isEmpty();
    lateRouter.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat'><body>1</body></message>");

    late.answerAll();
    alice.run();
    // A client busy sending may block its reader on a full writer (Smack 4.5 does), so the
    // request waits until the server handled what the client sent.
    assertThat(alice.drain()).extracting(XmlElement::name)
        .containsExactly("iq", "iq", "iq", "iq", "iq");

    lateRouter.lastSend().store("s1", 1);
    assertThat(alice.drain()).extracting(XmlElement::name).containsExactly("r");
  }

  @Test
  void aDeliveredMessageLeavesTheUnreadQueueOnlyWhenTheClientAcknowledgesIt() {
    TestClient alice = phone();
    alice.enableSm();

    router.deliverLive("alice@localhost", live("sid-1", 7, "2026-01-01T10:00:00Z", "hi"));

    List<XmlElement> out = alice.drain();
    // The <r/> follows the message it asks about (see the test of five stanzas above).
    assertThat(out).extracting(XmlElement::name).containsExactly("message", "r");
    assertThat(router.delivered()).isEmpty();
    alice.send("<a xmlns='" + SM + "' h='1'/>");
    assertThat(router.delivered()).containsExactly(
        new FakeMessaging.Delivered("alice@localhost", "bob@localhost alice@localhost", 7));
  }

  @Test
  void anAckForMoreThanWasSentEndsTheStream() {
    TestClient alice = phone();
    alice.enableSm();
    alice.send(PING.formatted("p1"));
    alice.next();

    alice.send("<a xmlns='" + SM + "' h='5'/>");

    XmlElement error = alice.next();
    assertThat(error.name()).isEqualTo("error");
    assertThat(error.elements()).extracting(XmlElement::name)
        .containsExactly("undefined-condition", "text", "handled-count-too-high");
    assertThat(error.child("handled-count-too-high", SM).orElseThrow().attributes())
        .containsEntry("h", "5").containsEntry("send-count", "1");
    assertThat(alice.isOpen()).isFalse();
  }

  // ---- resumption (§5) ----

  @Test
  void aLostStreamIsResumedOnAnotherEdgeWhichSendsWhatWasNotAcknowledged() {
    TestClient old = phone();
    String id = old.enableSm().attribute("id").orElseThrow();
    old.send(PING.formatted("p1"));
    old.send(PING.formatted("p2"));
    assertThat(old.drain()).hasSize(2);
    old.send("<message to='bob@localhost' type='chat'><body>1</body></message>");
    old.disconnect(); // no </stream>: the stream stays resumable

    TestEdge other = edge.sibling();
    other.account("alice", "secret");
    TestClient resumed = other.webSocket();
    resumed.authenticate("alice", "secret");
    resumed.send("<resume xmlns='" + SM + "' previd='" + id + "' h='1'/>");

    // The server had handled three (two pings, the stored message); the client got one answer.
    assertThat(resumed.next()).isEqualTo(
        xml("<resumed xmlns='" + SM + "' previd='" + id + "' h='3'/>"));
    assertThat(resumed.next()).isEqualTo(xml("<iq xmlns='jabber:client' type='result' id='p2'"
        + " to='alice@localhost/phone'/>"));
    resumed.send(PING.formatted("p3"));
    assertThat(resumed.next().attribute("id")).contains("p3");
    assertThat(other.messaging().isOnline("alice@localhost")).isTrue();
    assertThat(other.services().sessions().size()).isEqualTo(1);
  }

  @Test
  void aMessageStillBeingStoredWhenTheStreamIsLostCountsInTheResumesH() {
    TestClient old = phone();
    String id = old.enableSm().attribute("id").orElseThrow();
    router.storeAtOnce(false);
    old.send("<message to='bob@localhost' type='chat'><body>1</body></message>");
    old.disconnect(); // the message is not stored yet
    router.lastSend().store("s1", 1);

    TestEdge other = edge.sibling();
    other.account("alice", "secret");
    TestClient resumed = other.webSocket();
    resumed.authenticate("alice", "secret");
    resumed.send("<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>");

    // Stored, so handled: the client must not send it again (it would be stored twice).
    assertThat(resumed.next()).isEqualTo(
        xml("<resumed xmlns='" + SM + "' previd='" + id + "' h='1'/>"));
  }

  @Test
  void aResumptionWaitsForTheLostStreamToFinishStoringWhatItsClientSent() {
    TestClient old = phone();
    String id = old.enableSm().attribute("id").orElseThrow();
    router.storeAtOnce(false);
    old.send("<message to='bob@localhost' type='chat'><body>1</body></message>");
    old.disconnect(); // the message is not stored yet

    TestEdge other = edge.sibling();
    other.account("alice", "secret");
    TestClient resumed = other.webSocket();
    resumed.authenticate("alice", "secret");
    // The client is back before the message was stored: the resumption waits for it.
    resumed.send("<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>");
    assertThat(resumed.drain()).isEmpty();
    router.lastSend().store("s1", 1);

    List<XmlElement> answer = new ArrayList<>();
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      answer.addAll(resumed.drain());
      return !answer.isEmpty();
    });
    assertThat(answer.get(0)).isEqualTo(
        xml("<resumed xmlns='" + SM + "' previd='" + id + "' h='1'/>"));
  }

  /**
   * Bob's messages {@code seqs} stored for alice: waiting in her unread queue (as the routers of
   * {@code edges} see it), then published live to her sessions on {@code edge}.
   */
  private static void storeAndDeliver(TestEdge edge, List<TestEdge> edges, long... seqs) {
    for (long seq : seqs) {
      String at = "2026-01-01T10:00:0" + seq + "Z";
      edges.forEach(e -> e.messaging().queue("alice@localhost",
          XmppSessionStanzaTest.offline("sid-" + seq, seq, at, "m" + seq)));
      edge.messaging().deliverLive("alice@localhost", live("sid-" + seq, seq, at, "m" + seq));
    }
  }

  private static List<String> bodies(List<XmlElement> out) {
    return out.stream().filter(e -> e.name().equals("message"))
        .map(m -> m.child("body", "jabber:client").orElseThrow().text()).toList();
  }

  private static TestClient resume(TestEdge on, String id, long h) {
    TestClient client = on.webSocket();
    client.authenticate("alice", "secret");
    client.send("<resume xmlns='" + SM + "' previd='" + id + "' h='" + h + "'/>");
    return client;
  }

  @Test
  void whatTheResumesHAcknowledgesIsNeitherResentNorDeliveredAgainOnTheSameEdge() {
    TestClient old = phone();
    String id = old.enableSm().attribute("id").orElseThrow();
    storeAndDeliver(edge, List.of(edge), 1);
    assertThat(bodies(old.drain())).containsExactly("m1");
    old.disconnect(); // before its <a/>: the client had it, the server does not know

    TestClient resumed = resume(edge, id, 1);

    assertThat(resumed.next()).isEqualTo(
        xml("<resumed xmlns='" + SM + "' previd='" + id + "' h='0'/>"));
    resumed.advance(Duration.ofSeconds(5)); // past the unread queue's replays
    assertThat(bodies(resumed.drain())).isEmpty();
    // XEP-0198 §5: the resume's h acknowledges as an <a/> does: it left the unread queue
    assertThat(router.delivered()).containsExactly(
        new FakeMessaging.Delivered("alice@localhost", "bob@localhost alice@localhost", 1));
  }

  @Test
  void onlyWhatIsBeyondTheResumesHIsSentAgainOnceAndLeavesTheQueueWhenAcknowledged() {
    TestClient old = phone();
    String id = old.enableSm().attribute("id").orElseThrow();
    storeAndDeliver(edge, List.of(edge), 1, 2);
    assertThat(bodies(old.drain())).containsExactly("m1", "m2");
    old.disconnect();

    TestClient resumed = resume(edge, id, 1);

    assertThat(resumed.next().name()).isEqualTo("resumed");
    resumed.advance(Duration.ofSeconds(5));
    assertThat(bodies(resumed.drain())).containsExactly("m2");
    assertThat(router.delivered()).extracting(FakeMessaging.Delivered::seq).containsExactly(1L);
    resumed.send("<a xmlns='" + SM + "' h='2'/>");
    assertThat(router.delivered()).extracting(FakeMessaging.Delivered::seq)
        .containsExactly(1L, 2L);
  }

  @Test
  void whatTheResumesHAcknowledgesIsNotDeliveredAgainOnAnotherEdge() {
    TestClient old = phone();
    String id = old.enableSm().attribute("id").orElseThrow();
    TestEdge other = edge.sibling();
    other.account("alice", "secret");
    storeAndDeliver(edge, List.of(edge, other), 1, 2);
    assertThat(bodies(old.drain())).containsExactly("m1", "m2");
    old.disconnect();

    TestClient resumed = resume(other, id, 1);

    assertThat(resumed.next().name()).isEqualTo("resumed");
    resumed.advance(Duration.ofSeconds(5));
    assertThat(bodies(resumed.drain())).containsExactly("m2");
    assertThat(other.messaging().delivered()).extracting(FakeMessaging.Delivered::seq)
        .containsExactly(1L);
    resumed.send("<a xmlns='" + SM + "' h='2'/>");
    assertThat(other.messaging().delivered()).extracting(FakeMessaging.Delivered::seq)
        .containsExactly(1L, 2L);
  }

  @Test
  void anUnknownIdIsNotResumed() {
    TestClient alice = edge.webSocket();
    alice.authenticate("alice", "secret");

    alice.send("<resume xmlns='" + SM + "' previd='nothing' h='0'/>");

    assertThat(alice.next()).isEqualTo(xml("<failed xmlns='" + SM + "'>"
        + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>"));
    assertThat(alice.bind("laptop").toString()).isEqualTo("alice@localhost/laptop");
  }

  @Test
  void aStreamClosedOnPurposeIsNotResumable() {
    TestClient old = phone();
    String id = old.enableSm().attribute("id").orElseThrow();
    old.sendClose();

    TestClient again = edge.webSocket();
    again.authenticate("alice", "secret");
    again.send("<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>");

    assertThat(again.next().name()).isEqualTo("failed");
  }

  @Test
  void anotherUserCannotResumeTheStream() {
    TestClient old = phone();
    String id = old.enableSm().attribute("id").orElseThrow();
    old.disconnect();

    TestClient bob = edge.webSocket();
    bob.authenticate("bob", "secret");
    bob.send("<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>");

    assertThat(bob.next().name()).isEqualTo("failed");
  }

  @Test
  void resumingAfterBindingFailsWithUnexpectedRequest() {
    TestClient old = phone();
    String id = old.enableSm().attribute("id").orElseThrow();
    old.disconnect();
    TestClient alice = phone();

    alice.send("<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>");

    assertThat(alice.next()).isEqualTo(xml("<failed xmlns='" + SM + "'>"
        + "<unexpected-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>"));
  }
}

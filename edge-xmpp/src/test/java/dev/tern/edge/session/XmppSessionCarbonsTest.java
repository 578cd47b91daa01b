package dev.tern.edge.session;

import static dev.tern.edge.session.TestClient.SM;
import static dev.tern.edge.session.TestClient.xml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.edge.im.EdgeMessaging;
import dev.tern.xmpp.xml.XmlElement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * XEP-0280 on sessions of one edge: a session enables carbons for itself; the copy of a message
 * it sent goes to the sender's bare JID once the message is stored, and each of the user's
 * sessions takes it only if it enabled carbons and did not send the message.
 */
class XmppSessionCarbonsTest {

  private static final String ENABLE =
      "<iq type='set' id='c1'><enable xmlns='urn:xmpp:carbons:2'/></iq>";
  private static final String MESSAGE =
      "<message to='bob@localhost' type='chat' id='m1'><body>hi</body></message>";

  private final TestEdge edge = TestEdge.create().account("alice", "secret");
  private final FakeMessaging router = edge.messaging();

  private TestClient session(String resource) {
    return edge.webSocket().login("alice", "secret", resource);
  }

  private static TestClient enableCarbons(TestClient client) {
    client.send(ENABLE);
    assertThat(client.next()).isEqualTo(xml("<iq xmlns='jabber:client' type='result' id='c1'"
        + " to='" + client.jid() + "'/>"));
    return client;
  }

  private static String sentCopy(String from) {
    return "<message xmlns='jabber:client' from='alice@localhost' to='alice@localhost'"
        + " type='chat'><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
        + "<message xmlns='jabber:client' to='bob@localhost' type='chat' id='m1' from='" + from
        + "'><body>hi</body></message></forwarded></sent></message>";
  }

  @Test
  void enablingCarbonsIsAnswered() {
    enableCarbons(session("phone"));
  }

  @Test
  void theCopyOfASentMessageGoesToTheSendersBareJidOnceTheMessageIsStored() {
    TestClient phone = enableCarbons(session("phone"));
    router.storeAtOnce(false);

    phone.send(MESSAGE);
    assertThat(router.passed()).isEmpty();
    router.lastSend().store("s1", 1);

    assertThat(router.passed()).singleElement().satisfies(p -> {
      assertThat(p.toJid()).isEqualTo("alice@localhost");
      assertThat(xml(p.xml())).isEqualTo(xml(sentCopy("alice@localhost/phone")));
    });
  }

  @Test
  void aMessageTheRouterRefusedGetsNoCopy() {
    TestClient phone = session("phone");
    router.storeAtOnce(false);

    phone.send(MESSAGE);
    router.lastSend().refuse("not-acceptable", "cancel");

    assertThat(router.passed()).isEmpty();
  }

  @Test
  void aPrivateMessageGetsNoCopy() {
    TestClient phone = session("phone");

    phone.send("<message to='bob@localhost' type='chat'><body>hi</body>"
        + "<private xmlns='urn:xmpp:carbons:2'/></message>");

    assertThat(router.sends()).hasSize(1);
    assertThat(router.passed()).isEmpty();
  }

  @Test
  void aChatStatesCopyIsPassedAtOnceBesideIt() {
    TestClient phone = session("phone");

    phone.send("<message to='bob@localhost' type='chat'>"
        + "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>");

    assertThat(router.passed()).extracting(EdgeMessaging.Passing::toJid)
        .containsExactly("bob@localhost", "alice@localhost");
  }

  @Test
  void aCopyReachesTheSessionsThatEnabledCarbonsButNotTheSender() {
    TestClient phone = enableCarbons(session("phone"));
    TestClient laptop = enableCarbons(session("laptop"));
    TestClient tablet = session("tablet");
    phone.send(MESSAGE);
    EdgeMessaging.Passing copy = router.passed().get(0);

    boolean taken = router.passTo(copy.toJid(), copy.xml());

    assertThat(taken).isTrue();
    assertThat(laptop.next()).isEqualTo(xml(sentCopy("alice@localhost/phone")
        .replace("to='alice@localhost' type='chat'><sent",
            "to='alice@localhost/laptop' type='chat'><sent")));
    tablet.assertNothingMore();
    phone.assertNothingMore();
  }

  @Test
  void aCopyThatNoSessionWantsIsNotTaken() {
    TestClient phone = session("phone");
    TestClient tablet = session("tablet");
    phone.send(MESSAGE);
    EdgeMessaging.Passing copy = router.passed().get(0);

    assertThat(router.passTo(copy.toJid(), copy.xml())).isFalse();
    tablet.assertNothingMore();
  }

  @Test
  void disablingCarbonsStopsTheCopies() {
    TestClient laptop = enableCarbons(session("laptop"));
    laptop.send("<iq type='set' id='c2'><disable xmlns='urn:xmpp:carbons:2'/></iq>");
    assertThat(laptop.next().attribute("type")).contains("result");

    router.passTo("alice@localhost", sentCopy("alice@localhost/phone"));

    laptop.assertNothingMore();
  }

  // ---- received copies (XEP-0280 §6) ----

  /** A stored chat message from bob, addressed to {@code to}, published live to alice's sessions. */
  private void deliverLive(String stanzaId, long seq, String to, String extra) {
    router.deliverLive("alice@localhost", FakeMessaging.delivery(stanzaId,
        "bob@localhost alice@localhost", seq, Instant.parse("2026-01-01T10:00:00Z"),
        "<message xmlns='jabber:client' from='bob@localhost/desk' to='" + to + "' type='chat'>"
            + "<body>hi</body>" + extra + "</message>", false));
  }

  private static TestClient ready(TestClient client) {
    client.send("<presence/>"); // initial presence: live deliveries flow
    client.drain();
    return client;
  }

  private static String delivered(String stanzaId, String to) {
    return "<message xmlns='jabber:client' from='bob@localhost/desk' to='" + to + "'"
        + " type='chat'><body>hi</body>"
        + "<stanza-id xmlns='urn:xmpp:sid:0' id='" + stanzaId + "' by='alice@localhost'/>"
        + "</message>";
  }

  @Test
  void aMessageToAFullJidReachesTheOtherCarbonsSessionsAsAReceivedCopy() {
    TestClient phone = ready(session("phone"));
    TestClient laptop = ready(enableCarbons(session("laptop")));

    deliverLive("sid-1", 1, "alice@localhost/phone", "");

    assertThat(phone.next()).isEqualTo(xml(delivered("sid-1", "alice@localhost/phone")));
    // XEP-0280 §6, Example 10
    assertThat(laptop.next()).isEqualTo(xml("<message xmlns='jabber:client'"
        + " from='alice@localhost' to='alice@localhost/laptop' type='chat'>"
        + "<received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
        + delivered("sid-1", "alice@localhost/phone") + "</forwarded></received></message>"));
  }

  @Test
  void aPrivateMessageToAFullJidReachesNoOtherCarbonsSession() {
    TestClient phone = ready(session("phone"));
    TestClient laptop = ready(enableCarbons(session("laptop")));

    deliverLive("sid-1", 1, "alice@localhost/phone", "<private xmlns='urn:xmpp:carbons:2'/>");

    assertThat(phone.next().name()).isEqualTo("message");
    laptop.assertNothingMore();
  }

  @Test
  void aMessageToTheBareJidReachesEverySessionAsItIs() {
    TestClient phone = ready(session("phone"));
    TestClient laptop = ready(enableCarbons(session("laptop")));

    deliverLive("sid-1", 1, "alice@localhost", "");

    assertThat(phone.next()).isEqualTo(xml(delivered("sid-1", "alice@localhost")));
    assertThat(laptop.next()).isEqualTo(xml(delivered("sid-1", "alice@localhost")));
  }

  @Test
  void aSessionWithoutCarbonsGetsAMessageToAnotherResourceAsItIs() {
    ready(session("phone"));
    TestClient tablet = ready(session("tablet"));

    deliverLive("sid-1", 1, "alice@localhost/phone", "");

    // Every session of the user gets its stored messages (docs/design/edge.md)
    assertThat(tablet.next()).isEqualTo(xml(delivered("sid-1", "alice@localhost/phone")));
  }

  @Test
  void anAcknowledgedReceivedCopyTakesTheMessageOutOfTheUnreadQueue() {
    TestClient laptop = enableCarbons(session("laptop"));
    laptop.enableSm();

    deliverLive("sid-1", 7, "alice@localhost/phone", "");
    assertThat(laptop.next().child("received", "urn:xmpp:carbons:2")).isPresent();
    laptop.send("<a xmlns='" + SM + "' h='1'/>");

    assertThat(router.delivered()).containsExactly(
        new FakeMessaging.Delivered("alice@localhost", "bob@localhost alice@localhost", 7));
  }

  @Test
  void aReceivedCopyTheResumesHAcknowledgedIsNotDeliveredAgain() {
    TestClient old = enableCarbons(session("laptop"));
    String id = old.enableSm().attribute("id").orElseThrow();
    router.queue("alice@localhost", FakeMessaging.delivery("sid-1",
        "bob@localhost alice@localhost", 7, Instant.parse("2026-01-01T10:00:00Z"),
        "<message xmlns='jabber:client' from='bob@localhost/desk' to='alice@localhost/phone'"
            + " type='chat'><body>hi</body></message>", true));
    deliverLive("sid-1", 7, "alice@localhost/phone", "");
    assertThat(old.drain()).extracting(XmlElement::name).contains("message");
    old.disconnect();
    TestClient laptop = edge.webSocket();
    laptop.authenticate("alice", "secret");

    laptop.send("<resume xmlns='" + SM + "' previd='" + id + "' h='1'/>");

    assertThat(laptop.next().name()).isEqualTo("resumed");
    laptop.advance(Duration.ofSeconds(5));
    laptop.assertNothingMore();
    assertThat(router.delivered()).extracting(FakeMessaging.Delivered::seq).containsExactly(7L);
  }

  @Test
  void aResumedSessionKeepsItsCarbons() {
    TestClient old = enableCarbons(session("laptop"));
    String id = old.enableSm().attribute("id").orElseThrow();
    old.disconnect();
    TestClient laptop = edge.webSocket();
    laptop.authenticate("alice", "secret");
    laptop.send("<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>");
    assertThat(laptop.next().name()).isEqualTo("resumed");

    router.passTo("alice@localhost", sentCopy("alice@localhost/phone"));

    assertThat(laptop.drain()).extracting(e -> e.name() + " " + e.namespace())
        .contains("message jabber:client");
  }
}

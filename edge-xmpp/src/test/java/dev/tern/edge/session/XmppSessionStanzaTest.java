package dev.tern.edge.session;

import static dev.tern.edge.session.TestClient.errorCondition;
import static dev.tern.edge.session.TestClient.xml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.edge.im.EdgeMessaging;
import dev.tern.xmpp.xml.XmlElement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Stanzas on a bound stream (RFC 6120 §8, RFC 6121): IQs answered here or passed to another
 * user's resource, messages stored through a router one at a time per sender, chat states
 * passed and never stored, and stored messages delivered with their ids.
 */
class XmppSessionStanzaTest {

  private final TestEdge edge = TestEdge.create().account("alice", "secret");
  private final FakeMessaging router = edge.messaging();
  private final TestClient alice = edge.webSocket().login("alice", "secret", "phone");

  // ---- IQ (RFC 6120 §8.2.3) ----

  @Test
  void aPingIsAnswered() {
    alice.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");

    assertThat(alice.next()).isEqualTo(
        xml("<iq xmlns='jabber:client' type='result' id='p1' to='alice@localhost/phone'/>"));
    alice.assertNothingMore();
  }

  @Test
  void aPingToTheDomainIsAnsweredFromTheDomain() {
    alice.send("<iq type='get' id='p2' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");

    assertThat(alice.next()).isEqualTo(xml("<iq xmlns='jabber:client' type='result' id='p2'"
        + " to='alice@localhost/phone' from='localhost'/>"));
  }

  @Test
  void anIqWithAPayloadNobodyHandlesGetsServiceUnavailable() {
    alice.send("<iq type='get' id='u1'><query xmlns='urn:example:unknown'/></iq>");

    XmlElement reply = alice.next();
    assertThat(errorCondition(reply)).isEqualTo("service-unavailable");
    assertThat(reply.attribute("id")).contains("u1");
    assertThat(alice.isOpen()).isTrue();
  }

  @Test
  void anIqWithTwoPayloadsGetsBadRequest() {
    alice.send("<iq type='get' id='t1'><ping xmlns='urn:xmpp:ping'/>"
        + "<query xmlns='jabber:iq:version'/></iq>");

    assertThat(errorCondition(alice.next())).isEqualTo("bad-request");
  }

  @Test
  void anIqToAnotherUsersResourceIsPassedToItStampedWithTheSender() {
    alice.send("<iq type='get' id='v1' to='bob@localhost/laptop'>"
        + "<query xmlns='jabber:iq:version'/></iq>");

    assertThat(router.confirmed()).hasSize(1);
    FakeMessaging.Confirmed passed = router.confirmed().get(0);
    assertThat(passed.toJid()).isEqualTo("bob@localhost/laptop");
    assertThat(xml(passed.xml())).isEqualTo(xml("<iq xmlns='jabber:client' type='get' id='v1'"
        + " to='bob@localhost/laptop' from='alice@localhost/phone'>"
        + "<query xmlns='jabber:iq:version'/></iq>"));
    alice.assertNothingMore(); // bob's resource answers, through the same way back
  }

  @Test
  void anIqToAResourceThatNoSessionTakesGetsServiceUnavailable() {
    router.resourcesTake(false);

    alice.send("<iq type='get' id='v1' to='bob@localhost/gone'>"
        + "<query xmlns='jabber:iq:version'/></iq>");

    assertThat(errorCondition(alice.next())).isEqualTo("service-unavailable");
  }

  @Test
  void anIqBetweenUsersWhereOneBlockedTheOtherGetsTheRoutersError() {
    router.refuseBetweenUsers("not-acceptable", "cancel");

    alice.send("<iq type='get' id='v1' to='bob@localhost/laptop'>"
        + "<query xmlns='jabber:iq:version'/></iq>");

    assertThat(errorCondition(alice.next())).isEqualTo("not-acceptable");
    assertThat(router.confirmed()).isEmpty();
  }

  @Test
  void theResultOfAnIqFromAnotherUsersResourceIsPassedBack() {
    alice.send("<iq type='result' id='v1' to='bob@localhost/laptop'>"
        + "<query xmlns='jabber:iq:version'><name>x</name></query></iq>");

    assertThat(router.passed()).singleElement().satisfies(p -> {
      assertThat(p.toJid()).isEqualTo("bob@localhost/laptop");
      assertThat(xml(p.xml()).attribute("from")).contains("alice@localhost/phone");
    });
    alice.assertNothingMore();
  }

  @Test
  void anIqPassedFromAnotherUserReachesTheResourceItNames() {
    boolean taken = router.passTo("alice@localhost/phone", "<iq xmlns='jabber:client'"
        + " type='get' id='v9' from='bob@localhost/laptop' to='alice@localhost/phone'>"
        + "<query xmlns='jabber:iq:version'/></iq>");

    assertThat(taken).isTrue();
    assertThat(alice.next()).isEqualTo(xml("<iq xmlns='jabber:client' type='get' id='v9'"
        + " from='bob@localhost/laptop' to='alice@localhost/phone'>"
        + "<query xmlns='jabber:iq:version'/></iq>"));
  }

  // ---- messages (RFC 6121 §5) ----

  @Test
  void aChatMessageIsStoredThroughARouterStampedWithTheSender() {
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>hi</body></message>");

    FakeMessaging.Send send = router.lastSend();
    assertThat(send.from()).isEqualTo("alice@localhost/phone");
    assertThat(send.to()).isEqualTo("bob@localhost");
    assertThat(send.originId()).isEmpty();
    assertThat(send.stanza()).isEqualTo(xml("<message xmlns='jabber:client'"
        + " to='bob@localhost' type='chat' id='m1' from='alice@localhost/phone'>"
        + "<body>hi</body></message>"));
    alice.assertNothingMore(); // no receipt of its own: stored is silent without SM
  }

  @Test
  void aMessageToAFullJidIsStoredForTheBareJid() {
    alice.send("<message to='bob@localhost/laptop' type='chat'><body>hi</body></message>");

    assertThat(router.lastSend().to()).isEqualTo("bob@localhost");
  }

  @Test
  void aMessageToAnotherDomainGetsServiceUnavailable() {
    alice.send("<message to='bob@example.org' type='chat' id='m1'><body>hi</body></message>");

    XmlElement reply = alice.next();
    assertThat(errorCondition(reply)).isEqualTo("service-unavailable");
    assertThat(reply.attribute("id")).contains("m1");
    assertThat(router.sends()).isEmpty();
  }

  @Test
  void aGroupchatMessageGetsServiceUnavailable() {
    alice.send("<message to='room@localhost' type='groupchat'><body>hi</body></message>");

    assertThat(errorCondition(alice.next())).isEqualTo("service-unavailable");
  }

  @Test
  void aMessageTheRouterRefusesGetsTheErrorItNamed() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>hi</body></message>");

    router.lastSend().refuse("not-acceptable", "cancel");

    XmlElement reply = alice.next();
    assertThat(errorCondition(reply)).isEqualTo("not-acceptable");
    assertThat(reply.attribute("id")).contains("m1");
  }

  @Test
  void aMessageWithAnOriginIdIsTriedThreeTimesWhenNoRouterAnswers() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>hi</body>"
        + "<origin-id xmlns='urn:xmpp:sid:0' id='o1'/></message>");

    router.lastSend().fail();
    router.lastSend().fail();
    alice.assertNothingMore();
    assertThat(router.sends()).hasSize(3).allSatisfy(s -> assertThat(s.originId()).contains("o1"));
    router.lastSend().fail();

    assertThat(errorCondition(alice.next())).isEqualTo("resource-constraint");
    assertThat(router.sends()).hasSize(3);
  }

  @Test
  void aRetriedMessageThatIsThenStoredGetsNoError() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat'><body>hi</body>"
        + "<origin-id xmlns='urn:xmpp:sid:0' id='o1'/></message>");

    router.lastSend().fail();
    router.lastSend().store("s1", 1);

    assertThat(router.sends()).hasSize(2);
    alice.assertNothingMore();
  }

  @Test
  void aMessageWithoutAnOriginIdIsNotTriedAgainButTheClientIsToldToResend() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>hi</body></message>");

    router.lastSend().fail();

    assertThat(router.sends()).hasSize(1);
    assertThat(errorCondition(alice.next())).isEqualTo("resource-constraint");
  }

  // ---- in-order dispatch ----

  @Test
  void aSendersMessagesReachTheRouterOneAtATimeInOrder() {
    router.storeAtOnce(false);

    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>1</body></message>");
    alice.send("<message to='carol@localhost' type='chat' id='m2'><body>2</body></message>");

    assertThat(router.sends()).singleElement()
        .satisfies(s -> assertThat(s.stanza().attribute("id")).contains("m1"));
    router.lastSend().store("s1", 1);
    assertThat(router.sends()).hasSize(2);
    assertThat(router.lastSend().stanza().attribute("id")).contains("m2");
    assertThat(router.lastSend().to()).isEqualTo("carol@localhost");
  }

  @Test
  void theNextMessageGoesToTheRouterAlsoAfterTheOneBeforeFailed() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>1</body></message>");
    alice.send("<message to='bob@localhost' type='chat' id='m2'><body>2</body></message>");

    router.lastSend().fail();

    assertThat(errorCondition(alice.next())).isEqualTo("resource-constraint");
    assertThat(router.sends()).hasSize(2);
  }

  @Test
  void anIqAfterAMessageStillBeingStoredIsAnsweredAtOnce() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>1</body></message>");

    alice.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");

    // Only messages wait for each other; an IQ is not held behind a pending store.
    assertThat(alice.next().attribute("id")).contains("p1");
    assertThat(router.lastSend().pending()).isTrue();
  }

  // ---- chat states (XEP-0085) ----

  @Test
  void aPureChatStateIsPassedToTheRecipientAndNeverStored() {
    alice.send("<message to='bob@localhost' type='chat'>"
        + "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>");

    assertThat(router.sends()).isEmpty();
    assertThat(router.passed()).first().satisfies(p -> {
      assertThat(p.toJid()).isEqualTo("bob@localhost");
      assertThat(xml(p.xml())).isEqualTo(xml("<message xmlns='jabber:client'"
          + " to='bob@localhost' type='chat' from='alice@localhost/phone'>"
          + "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>"));
    });
  }

  @Test
  void aChatStateWithABodyIsStored() {
    alice.send("<message to='bob@localhost' type='chat'><body>hi</body>"
        + "<active xmlns='http://jabber.org/protocol/chatstates'/></message>");

    assertThat(router.sends()).hasSize(1);
  }

  // ---- presence and the end of a session (RFC 6121 §4) ----

  @Test
  void initialPresenceIsBroadcastThroughTheRouters() {
    alice.send("<presence><show>away</show></presence>");

    assertThat(edge.roster().presences()).singleElement().satisfies(p -> {
      assertThat(p.fullJid()).isEqualTo("alice@localhost/phone");
      assertThat(p.op()).isEqualTo("initial");
      assertThat(xml(p.xml()).child("show", "jabber:client").orElseThrow().text())
          .isEqualTo("away");
    });
  }

  @Test
  void aLostConnectionAnnouncesUnavailableAndStopsReceivingTheUsersMessages() {
    alice.send("<presence/>");

    alice.disconnect();

    assertThat(edge.roster().presences()).extracting(FakeRoster.Presence::op)
        .containsExactly("initial", "unavailable");
    assertThat(router.isOnline("alice@localhost")).isFalse();
    assertThat(edge.services().sessions().size()).isZero();
  }

  // ---- stored messages delivered (XEP-0359, XEP-0203) ----

  @Test
  void aLiveDeliveryArrivesWithItsStanzaIdAndNoDelay() {
    alice.send("<presence/>"); // initial presence: the queue is read, live deliveries flow
    Instant stored = Instant.parse("2026-01-01T10:00:00Z");

    boolean taken = router.deliverLive("alice@localhost", FakeMessaging.delivery("sid-1",
        "bob@localhost alice@localhost", 7, stored, "<message xmlns='jabber:client'"
            + " from='bob@localhost/laptop' to='alice@localhost' type='chat'>"
            + "<body>hello</body></message>", false));

    assertThat(taken).isTrue();
    assertThat(alice.next()).isEqualTo(xml("<message xmlns='jabber:client'"
        + " from='bob@localhost/laptop' to='alice@localhost' type='chat'><body>hello</body>"
        + "<stanza-id xmlns='urn:xmpp:sid:0' id='sid-1' by='alice@localhost'/></message>"));
  }

  @Test
  void aMessageThatWaitedArrivesWithItsStanzaIdAndADelay() {
    router.queue("alice@localhost", offline("sid-1", 1, "2026-01-01T10:00:00Z", "waited"));

    alice.send("<presence/>");

    assertThat(router.unreadReads()).first()
        .isEqualTo(new FakeMessaging.UnreadRead("alice@localhost", Optional.empty()));
    assertThat(alice.next()).isEqualTo(xml("<message xmlns='jabber:client'"
        + " from='bob@localhost/laptop' to='alice@localhost' type='chat'><body>waited</body>"
        + "<stanza-id xmlns='urn:xmpp:sid:0' id='sid-1' by='alice@localhost'/>"
        + "<delay xmlns='urn:xmpp:delay' from='localhost' stamp='2026-01-01T10:00:00Z'/>"
        + "</message>"));
  }

  @Test
  void liveDeliveriesWaitForTheQueueToBeReadFirst() {
    router.queue("alice@localhost", offline("sid-1", 1, "2026-01-01T10:00:00Z", "older"));
    router.deliverLive("alice@localhost", live("sid-2", 2, "2026-01-01T10:00:05Z", "newer"));
    alice.assertNothingMore(); // bound, but neither presence nor SM yet: nothing is delivered

    alice.send("<presence/>");

    assertThat(alice.drain()).extracting(m -> m.child("body", "jabber:client").orElseThrow().text())
        .containsExactly("older", "newer");
  }

  @Test
  void aMessageDeliveredTwiceIsWrittenOnce() {
    alice.send("<presence/>");
    EdgeMessaging.Delivery d = live("sid-1", 1, "2026-01-01T10:00:00Z", "once");

    router.deliverLive("alice@localhost", d);
    router.deliverLive("alice@localhost", d);

    assertThat(alice.drain()).hasSize(1);
  }

  @Test
  void withoutPresenceOrSmTheQueueIsDeliveredAfterTwoSeconds() {
    router.queue("alice@localhost", offline("sid-1", 1, "2026-01-01T10:00:00Z", "waited"));

    alice.advance(Duration.ofSeconds(2));

    assertThat(alice.next().child("body", "jabber:client").orElseThrow().text())
        .isEqualTo("waited");
  }

  static EdgeMessaging.Delivery offline(String stanzaId, long seq, String storedAt, String body) {
    return delivery(stanzaId, seq, storedAt, body, true);
  }

  static EdgeMessaging.Delivery live(String stanzaId, long seq, String storedAt, String body) {
    return delivery(stanzaId, seq, storedAt, body, false);
  }

  private static EdgeMessaging.Delivery delivery(String stanzaId, long seq, String storedAt,
      String body, boolean offline) {
    return FakeMessaging.delivery(stanzaId, "bob@localhost alice@localhost", seq,
        Instant.parse(storedAt), "<message xmlns='jabber:client' from='bob@localhost/laptop'"
            + " to='alice@localhost' type='chat'><body>" + body + "</body></message>", offline);
  }
}

package dev.tern.edge.session;

import static dev.tern.edge.session.TestClient.errorCondition;
import static dev.tern.edge.session.TestClient.xml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.edge.EdgeConfig;
import dev.tern.edge.im.EdgeMessaging;
import dev.tern.routing.MessageFacts;
import dev.tern.storage.receipts.ReceiptState;
import dev.tern.xmpp.xml.StreamEvent;
import dev.tern.xmpp.xml.XmlElement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Stanzas on a bound stream (RFC 6120 §8, RFC 6121): IQs answered here or passed to another
 * user's resource, messages stored through a router (pipelined, each sender's in order), every
 * stanza taking effect in the order received (§10.1), chat states passed and never stored, and
 * stored messages delivered with their ids.
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
  void whatTheRouterNeedsOfAMessageIsReadHereAndSentBesideIt() {
    // XEP-0184 §4 Example 4 and XEP-0333 §3 Example 3: a receipt and a marker, with its own id
    alice.send("<message to='bob@localhost' type='chat' id='bi29sg183b4v'>"
        + "<received xmlns='urn:xmpp:receipts' id='richard2-4.1.247'/>"
        + "<displayed xmlns='urn:xmpp:chat-markers:0' id='message-1'/></message>");

    assertThat(router.lastSend().facts()).isEqualTo(new MessageFacts(Optional.of("bi29sg183b4v"),
        List.of(new MessageFacts.Ack(ReceiptState.DELIVERED, "richard2-4.1.247"),
            new MessageFacts.Ack(ReceiptState.DISPLAYED, "message-1"))));
  }

  @Test
  void aPlainMessageWithoutAnIdStatesNoFacts() {
    alice.send("<message to='bob@localhost' type='chat'><body>hi</body></message>");

    assertThat(router.lastSend().facts()).isEqualTo(MessageFacts.NONE);
  }

  @Test
  void aMessageToAFullJidIsStoredForTheBareJid() {
    alice.send("<message to='bob@localhost/laptop' type='chat'><body>hi</body></message>");

    assertThat(router.lastSend().to()).isEqualTo("bob@localhost");
  }

  @Test
  void stanzaIdsTheClientSetInTheNameOfThisServiceAreRemovedBeforeTheMessageIsStored() {
    // XEP-0359 §3.3: by the domain, the sender's or the recipient's bare JID; another's stays
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>hi</body>"
        + "<stanza-id xmlns='urn:xmpp:sid:0' id='f1' by='localhost'/>"
        + "<stanza-id xmlns='urn:xmpp:sid:0' id='f2' by='alice@localhost'/>"
        + "<stanza-id xmlns='urn:xmpp:sid:0' id='f3' by='bob@localhost'/>"
        + "<stanza-id xmlns='urn:xmpp:sid:0' id='m4' by='room@muc.example.org'/>"
        + "<origin-id xmlns='urn:xmpp:sid:0' id='o1'/></message>");

    assertThat(router.lastSend().stanza()).isEqualTo(xml("<message xmlns='jabber:client'"
        + " to='bob@localhost' type='chat' id='m1' from='alice@localhost/phone'>"
        + "<body>hi</body><stanza-id xmlns='urn:xmpp:sid:0' id='m4' by='room@muc.example.org'/>"
        + "<origin-id xmlns='urn:xmpp:sid:0' id='o1'/></message>"));
  }

  @Test
  void aChatStatePassedUnstoredLosesAStanzaIdNamingTheRecipient() {
    alice.send("<message to='bob@localhost' type='chat'>"
        + "<composing xmlns='http://jabber.org/protocol/chatstates'/>"
        + "<stanza-id xmlns='urn:xmpp:sid:0' id='f1' by='bob@localhost'/></message>");

    assertThat(router.sends()).isEmpty();
    // to the recipient, and the sent carbon for the sender's other resources
    assertThat(router.passed()).hasSize(2)
        .allSatisfy(p -> assertThat(p.xml()).doesNotContain("stanza-id"));
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
    assertThat(router.sends()).hasSize(3).allSatisfy(s -> {
      assertThat(s.originId()).contains("o1");
      assertThat(s.facts().clientId()).contains("m1");
    });
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
  void aSendersMessagesReachTheRouterAtOnceInOrderAndAreAnsweredInOrder() {
    router.storeAtOnce(false);

    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>1</body></message>");
    alice.send("<message to='carol@localhost' type='chat' id='m2'><body>2</body></message>");

    // Both are on their way before the first is stored: the sequencer keeps their order.
    assertThat(router.sends()).extracting(s -> s.stanza().attribute("id").orElseThrow())
        .containsExactly("m1", "m2");
    assertThat(router.sends().get(1).to()).isEqualTo("carol@localhost");
    router.sends().get(1).fail(); // the second fails first ...
    alice.assertNothingMore(); // ... but its error waits for the first one's outcome
    router.sends().get(0).fail();
    assertThat(alice.next().attribute("id")).contains("m1");
    assertThat(alice.next().attribute("id")).contains("m2");
  }

  @Test
  void theNextMessageGoesToTheRouterAlsoAfterTheOneBeforeFailed() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>1</body></message>");
    alice.send("<message to='bob@localhost' type='chat' id='m2'><body>2</body></message>");

    router.sends().get(0).fail();

    assertThat(errorCondition(alice.next())).isEqualTo("resource-constraint");
    assertThat(router.sends()).hasSize(2);
  }

  @Test
  void anIqAfterAMessageStillBeingStoredIsAnsweredOnlyOnceTheMessageIsStored() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>1</body></message>");

    alice.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");

    alice.assertNothingMore(); // RFC 6120 §10.1: the ping takes effect after the message
    router.lastSend().store("s1", 1);
    assertThat(alice.next().attribute("id")).contains("p1");
  }

  @Test
  void anIqAfterThreeMessagesIsAnsweredAfterTheirOutcomes() {
    router.storeAtOnce(false);
    for (int i = 1; i <= 3; i++) {
      alice.send("<message to='friend" + i + "@localhost' type='chat' id='m" + i + "'><body>" + i
          + "</body></message>");
    }

    alice.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");

    assertThat(router.sends()).hasSize(3); // to three chats: they went on at once
    router.sends().get(0).store("s1", 1);
    router.sends().get(2).store("s3", 3);
    alice.assertNothingMore(); // the second is still being stored
    router.sends().get(1).fail();
    assertThat(alice.drain()).extracting(e -> e.attribute("id").orElseThrow())
        .containsExactly("m2", "p1"); // the second one's error, then the answer
  }

  @Test
  void aMessageAfterAWaitingIqReachesTheRouterOnlyOnceTheIqWasAnswered() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>1</body></message>");
    alice.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");

    alice.send("<message to='bob@localhost' type='chat' id='m2'><body>2</body></message>");

    assertThat(router.sends()).hasSize(1); // behind the ping, which is behind the first message
    router.sends().get(0).store("s1", 1);
    assertThat(alice.next().attribute("id")).contains("p1");
    assertThat(router.sends()).extracting(s -> s.stanza().attribute("id").orElseThrow())
        .containsExactly("m1", "m2");
  }

  @Test
  void messagesAfterAWaitingIqGoToTheRouterTogetherOnceItWasAnswered() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>1</body></message>");
    alice.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
    alice.send("<message to='bob@localhost' type='chat' id='m2'><body>2</body></message>");
    alice.send("<message to='carol@localhost' type='chat' id='m3'><body>3</body></message>");
    alice.send("<iq type='get' id='p2'><ping xmlns='urn:xmpp:ping'/></iq>");

    router.sends().get(0).store("s1", 1);

    // The ping, then both messages (to two chats) at once; the second ping waits for them.
    assertThat(alice.drain()).extracting(e -> e.attribute("id").orElseThrow())
        .containsExactly("p1");
    assertThat(router.sends()).extracting(s -> s.stanza().attribute("id").orElseThrow())
        .containsExactly("m1", "m2", "m3");
    router.sends().get(1).store("s2", 2);
    router.sends().get(2).store("s3", 3);
    assertThat(alice.next().attribute("id")).contains("p2");
  }

  @Test
  void aMessageToAChatWaitsUntilTheOneBeforeItIsStoredSoARetryKeepsTheOrder() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>1</body>"
        + "<origin-id xmlns='urn:xmpp:sid:0' id='o1'/></message>");
    alice.send("<message to='bob@localhost' type='chat' id='m2'><body>2</body>"
        + "<origin-id xmlns='urn:xmpp:sid:0' id='o2'/></message>");
    alice.send("<message to='carol@localhost' type='chat' id='m3'><body>3</body></message>");

    // The one to Carol's chat went on at once; the second to Bob's waits for the first.
    assertThat(router.sends()).extracting(s -> s.stanza().attribute("id").orElseThrow())
        .containsExactly("m1", "m3");
    router.sends().get(0).fail(); // lost with a NATS server: tried again, still before m2
    assertThat(router.sends()).extracting(s -> s.stanza().attribute("id").orElseThrow())
        .containsExactly("m1", "m3", "m1");
    router.sends().get(2).store("s1", 1);
    assertThat(router.sends()).extracting(s -> s.stanza().attribute("id").orElseThrow())
        .containsExactly("m1", "m3", "m1", "m2");
  }

  @Test
  void presenceAfterAMessageStillBeingStoredIsBroadcastOnlyOnceTheMessageIsStored() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>1</body></message>");

    alice.send("<presence><show>away</show></presence>");

    assertThat(edge.roster().presences()).isEmpty();
    router.lastSend().store("s1", 1);
    assertThat(edge.roster().presences()).extracting(FakeRoster.Presence::op)
        .containsExactly("initial");
  }

  @Test
  void aMessageAfterWaitingPresenceReachesTheRouterOnlyAfterThePresence() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>1</body></message>");
    alice.send("<presence/>");

    alice.send("<message to='bob@localhost' type='chat' id='m2'><body>2</body></message>");

    assertThat(router.sends()).hasSize(1);
    router.sends().get(0).store("s1", 1);
    assertThat(edge.roster().presences()).hasSize(1);
    assertThat(router.sends()).hasSize(2);
  }

  @Test
  void theClientsCloseTakesEffectAfterWhatItSentBefore() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>1</body></message>");
    alice.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
    alice.send("<message to='bob@localhost' type='chat' id='m2'><body>2</body></message>");

    alice.sendClose();

    alice.assertNothingMore();
    router.sends().get(0).store("s1", 1);
    assertThat(alice.next().attribute("id")).contains("p1");
    assertThat(alice.nextEvent()).isInstanceOf(StreamEvent.Close.class);
    assertThat(router.sends()).hasSize(2); // sent before the close: it went too
  }

  @Test
  void whatStillWaitsWhenTheConnectionIsLostIsDroppedNeverSent() {
    router.storeAtOnce(false);
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>1</body></message>");
    alice.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
    alice.send("<message to='bob@localhost' type='chat' id='m2'><body>2</body></message>");

    alice.disconnect();
    router.sends().get(0).store("s1", 1);

    // Not counted as handled either: a client that resumes sends it again, once.
    assertThat(router.sends()).hasSize(1);
  }

  // ---- stanzas in flight (a bound per session) ----

  @Test
  void aClientWithTheMostStanzasInFlightIsNotReadUntilHalfOfThemAreHandled() {
    router.storeAtOnce(false);
    int limit = EdgeConfig.Limits.DEFAULT_MAX_STANZAS_IN_FLIGHT;
    for (int i = 1; i < limit; i++) {
      alice.send("<message to='friend" + i + "@localhost' type='chat'><body>" + i
          + "</body></message>");
    }
    assertThat(alice.channel().config().isAutoRead()).isTrue();

    alice.send("<message to='bob@localhost' type='chat'><body>last</body></message>");

    assertThat(alice.channel().config().isAutoRead()).as("reading stopped").isFalse();
    List<FakeMessaging.Send> sends = router.sends();
    assertThat(sends).hasSize(limit); // none refused: they only wait
    for (int i = 0; i < limit / 2 - 1; i++) {
      sends.get(i).store("s" + i, i + 1);
    }
    assertThat(alice.channel().config().isAutoRead()).as("more than half in flight").isFalse();
    sends.get(limit / 2 - 1).store("s", limit / 2);
    assertThat(alice.channel().config().isAutoRead()).as("reading resumed").isTrue();
  }

  @Test
  void stanzasWaitingBehindOthersCountAsInFlight() {
    router.storeAtOnce(false);
    int limit = EdgeConfig.Limits.DEFAULT_MAX_STANZAS_IN_FLIGHT;
    alice.send("<message to='bob@localhost' type='chat'><body>first</body></message>");
    for (int i = 1; i < limit; i++) {
      alice.send("<iq type='get' id='p" + i + "'><ping xmlns='urn:xmpp:ping'/></iq>");
    }

    assertThat(alice.channel().config().isAutoRead()).isFalse();
    router.lastSend().store("s1", 1); // the pings are answered at once then

    assertThat(alice.drain()).hasSize(limit - 1);
    assertThat(alice.channel().config().isAutoRead()).isTrue();
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

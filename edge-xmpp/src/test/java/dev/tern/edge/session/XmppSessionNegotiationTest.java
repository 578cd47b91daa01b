package dev.tern.edge.session;

import static dev.tern.edge.session.TestClient.BIND;
import static dev.tern.edge.session.TestClient.SASL;
import static dev.tern.edge.session.TestClient.STREAMS;
import static dev.tern.edge.session.TestClient.errorCondition;
import static dev.tern.edge.session.TestClient.mechanisms;
import static dev.tern.edge.session.TestClient.xml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.xmpp.xml.StreamEvent;
import dev.tern.xmpp.xml.XmlElement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * RFC 6120 §4 to §7 on one client stream, black-box: the stream header and its features,
 * STARTTLS being required, SASL, resource binding, and the addresses of the first stanzas.
 */
class XmppSessionNegotiationTest {

  private final TestEdge edge = TestEdge.create().account("alice", "secret");

  // ---- stream header and features (RFC 6120 §4.3, §4.7) ----

  @Test
  void aStreamHeaderIsAnsweredWithAHeaderAndFeaturesOfferingScramOverWebSocket() {
    TestClient client = edge.webSocket();

    client.sendHeader("localhost");

    StreamEvent.Open header = client.header();
    assertThat(header.attributes()).containsEntry("from", "localhost")
        .containsEntry("version", "1.0").containsKey("id");
    XmlElement features = client.next();
    assertThat(features.name()).isEqualTo("features");
    assertThat(features.namespace()).isEqualTo(STREAMS);
    // The WebSocket counts as secure for STARTTLS but not for SASL: PLAIN is not offered.
    assertThat(mechanisms(features)).containsExactly("SCRAM-SHA-256", "SCRAM-SHA-1");
    assertThat(features.child("authentication", "urn:xmpp:sasl:2")).isPresent();
    assertThat(features.child("starttls", "urn:ietf:params:xml:ns:xmpp-tls")).isEmpty();
    assertThat(features.child("register", "http://jabber.org/features/iq-register")).isEmpty();
    assertThat(features.child("limits", "urn:xmpp:stream-limits:0")).contains(xml(
        "<limits xmlns='urn:xmpp:stream-limits:0'><max-bytes>262144</max-bytes></limits>"));
    client.assertNothingMore();
  }

  @Test
  void plainIsOfferedOnceTheStreamIsEncrypted() {
    XmlElement features = edge.directTls().open();

    assertThat(mechanisms(features)).containsExactly("SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
  }

  @Test
  void theRegistrationFeatureIsOfferedWhenRegistrationIsOpen() {
    XmlElement features = TestEdge.withRegistration().webSocket().open();

    assertThat(features.child("register", "http://jabber.org/features/iq-register")).isPresent();
  }

  @Test
  void aHeaderToAnotherDomainGetsHostUnknown() {
    TestClient client = edge.webSocket();

    client.sendHeader("example.org");

    client.header(); // RFC 6120 §4.9.1.1: the header precedes the error
    client.assertStreamError("host-unknown");
    assertThat(client.webSocketClosed()).isTrue();
  }

  @Test
  void anElementBeforeTheHeaderGetsNotWellFormed() {
    TestClient client = edge.webSocket();

    client.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");

    client.header();
    client.assertStreamError("not-well-formed");
  }

  @Test
  void aStanzaBeforeAuthenticationGetsNotAuthorized() {
    TestClient client = edge.webSocket();
    client.open();

    client.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");

    client.assertStreamError("not-authorized");
  }

  @Test
  void aStreamNotAuthenticatedInTimeGetsConnectionTimeout() {
    TestClient client = edge.webSocket();
    client.open();

    client.advance(Duration.ofSeconds(29));
    client.assertNothingMore();
    client.advance(Duration.ofSeconds(1));

    client.assertStreamError("connection-timeout");
  }

  @Test
  void newConnectionsFromOneAddressBeyondItsRateGetPolicyViolationAndOtherAddressesAreServed() {
    TestEdge limited = TestEdge.withConnectionRate(1, 3).account("alice", "secret");
    for (int i = 0; i < 3; i++) {
      limited.webSocketFrom("198.51.100.7").login("alice", "secret", "r" + i);
    }

    TestClient fourth = limited.webSocketFrom("198.51.100.7");

    fourth.header(); // RFC 6120 §4.9.1.1: the header precedes the error
    fourth.assertStreamError("policy-violation");
    limited.webSocketFrom("198.51.100.8").login("alice", "secret", "other");
  }

  @Test
  void theClientClosingTheStreamIsAnsweredWithAClose() {
    TestClient client = edge.webSocket();
    client.open();

    client.sendClose();

    assertThat(client.nextEvent()).isInstanceOf(StreamEvent.Close.class);
    assertThat(client.webSocketClosed()).isTrue();
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void aStreamSplitAtEveryByteIsReadAsAWhole() {
    TestClient client = edge.directTls();
    String header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
        + " xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";
    String auth = "<auth xmlns='" + SASL + "' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>";

    for (char c : (header + auth).toCharArray()) {
      client.sendRaw(String.valueOf(c));
    }

    client.header();
    assertThat(client.next().name()).isEqualTo("features");
    assertThat(client.next()).isEqualTo(xml("<success xmlns='" + SASL + "'/>"));
  }

  // ---- STARTTLS (RFC 6120 §5) ----

  @Test
  void thePlainTcpPortOffersOnlyStartTlsAndRequiresIt() {
    TestClient client = edge.tcp();

    XmlElement features = client.open();

    assertThat(features).isEqualTo(xml("<stream:features xmlns:stream='" + STREAMS + "'>"
        + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
        + "</stream:features>"));
  }

  @Test
  void aStanzaBeforeStartTlsGetsPolicyViolation() {
    TestClient client = edge.tcp();
    client.open();

    client.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");

    client.assertStreamError("policy-violation");
  }

  @Test
  void saslBeforeStartTlsGetsPolicyViolation() {
    TestClient client = edge.tcp();
    client.open();

    client.sendPlain("alice", "secret");

    client.assertStreamError("policy-violation");
  }

  // ---- SASL (RFC 6120 §6) ----

  @Test
  void plainWithTheRightPasswordSucceedsAndTheNewStreamOffersBinding() {
    TestClient client = edge.directTls();
    client.open();

    client.sendPlain("alice", "secret");

    assertThat(client.next()).isEqualTo(xml("<success xmlns='" + SASL + "'/>"));
    XmlElement features = client.open();
    assertThat(features.child("bind", BIND)).isPresent();
    assertThat(features.child("mechanisms", SASL)).isEmpty();
    assertThat(features.child("sm", "urn:xmpp:sm:3")).isPresent();
  }

  @Test
  void plainWithAWrongPasswordGetsNotAuthorizedAndTheStreamStays() {
    TestClient client = edge.directTls();
    client.open();

    client.sendPlain("alice", "wrong");

    XmlElement failure = client.next();
    assertThat(failure.name()).isEqualTo("failure");
    assertThat(failure.elements().get(0)).isEqualTo(xml("<not-authorized xmlns='" + SASL + "'/>"));
    assertThat(client.isOpen()).isTrue();
    client.sendPlain("alice", "secret");
    assertThat(client.next().name()).isEqualTo("success");
  }

  @Test
  void anUnknownUserFailsAsAWrongPasswordDoes() {
    TestClient client = edge.directTls();
    client.open();

    client.sendPlain("mallory", "secret");

    assertThat(client.next().elements().get(0))
        .isEqualTo(xml("<not-authorized xmlns='" + SASL + "'/>"));
  }

  @Test
  void threeFailedAuthenticationsCloseTheStreamWithPolicyViolation() {
    TestClient client = edge.directTls();
    client.open();

    for (int i = 0; i < 3; i++) {
      client.sendPlain("alice", "wrong" + i);
      assertThat(client.next().name()).isEqualTo("failure");
    }

    client.assertStreamError("policy-violation");
  }

  @Test
  void plainOverWebSocketGetsEncryptionRequired() {
    TestClient client = edge.webSocket();
    client.open();

    client.sendPlain("alice", "secret");

    XmlElement failure = client.next();
    assertThat(failure.elements().get(0))
        .isEqualTo(xml("<encryption-required xmlns='" + SASL + "'/>"));
  }

  @Test
  void scramSha1AuthenticatesOverWebSocket() {
    TestClient client = edge.webSocket();

    XmlElement features = client.authenticate("alice", "secret"); // SCRAM: PLAIN is not offered

    assertThat(features.child("bind", BIND)).isPresent();
  }

  @Test
  void anUnknownMechanismGetsInvalidMechanism() {
    TestClient client = edge.webSocket();
    client.open();

    client.send("<auth xmlns='" + SASL + "' mechanism='X-UNKNOWN'>=</auth>");

    assertThat(client.next().elements().get(0))
        .isEqualTo(xml("<invalid-mechanism xmlns='" + SASL + "'/>"));
  }

  // ---- resource binding (RFC 6120 §7) ----

  @Test
  void theBoundResourceIsInTheResultAsTheFullJid() {
    TestClient client = edge.webSocket();
    client.authenticate("alice", "secret");

    client.send("<iq type='set' id='b1'><bind xmlns='" + BIND + "'>"
        + "<resource>phone</resource></bind></iq>");

    assertThat(client.next()).isEqualTo(xml("<iq xmlns='jabber:client' type='result' id='b1'"
        + " to='alice@localhost/phone'><bind xmlns='" + BIND + "'>"
        + "<jid>alice@localhost/phone</jid></bind></iq>"));
    assertThat(edge.messaging().isOnline("alice@localhost")).isTrue();
  }

  @Test
  void noResourceGetsOneFromTheServer() {
    TestClient client = edge.webSocket();
    client.authenticate("alice", "secret");

    client.send("<iq type='set' id='b1'><bind xmlns='" + BIND + "'/></iq>");

    String jid = client.next().child("bind", BIND).orElseThrow()
        .child("jid", BIND).orElseThrow().text();
    assertThat(jid).startsWith("alice@localhost/tern-");
  }

  @Test
  void aStanzaOtherThanBindingBeforeBindingGetsNotAuthorized() {
    TestClient client = edge.webSocket();
    client.authenticate("alice", "secret");

    client.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");

    client.assertStreamError("not-authorized");
  }

  @Test
  void anIqResultBeforeBindingGetsNotAuthorizedAndGoesNowhere() {
    TestClient client = edge.webSocket();
    client.authenticate("alice", "secret");

    // An answer naming someone else as its sender, to another user's resource (RFC 6120 §7.1:
    // no stanza before binding but the binding itself).
    client.send("<iq type='result' id='r1' from='bob@localhost/laptop'"
        + " to='carol@localhost/phone'><query xmlns='jabber:iq:register'/></iq>");

    client.assertStreamError("not-authorized");
    assertThat(edge.messaging().passed()).isEmpty();
    assertThat(edge.messaging().confirmed()).isEmpty();
  }

  @Test
  void anIqResultBeforeAuthenticationGetsNotAuthorizedAlsoWithRegistrationOpen() {
    TestEdge open = TestEdge.withRegistration();
    TestClient client = open.webSocket();
    client.open();

    client.send("<iq type='result' id='r1' from='bob@localhost/laptop'"
        + " to='carol@localhost/phone'><query xmlns='jabber:iq:register'/></iq>");

    client.assertStreamError("not-authorized");
    assertThat(open.messaging().passed()).isEmpty();
  }

  @Test
  void aBindingIqOfTypeResultGetsNotAuthorized() {
    TestClient client = edge.webSocket();
    client.authenticate("alice", "secret");

    client.send("<iq type='result' id='b1'><bind xmlns='" + BIND + "'/></iq>");

    client.assertStreamError("not-authorized");
  }

  @Test
  void registrationStillWorksBeforeAuthentication() {
    TestClient client = TestEdge.withRegistration().webSocket();
    client.open();

    client.send("<iq type='get' id='g1'><query xmlns='jabber:iq:register'/></iq>");

    XmlElement answer = client.next();
    assertThat(answer.attribute("type")).contains("result");
    assertThat(answer.attribute("id")).contains("g1");
  }

  @Test
  void aNewSessionOnTheSameResourceReplacesTheOldOneWithConflict() {
    TestClient old = edge.webSocket().login("alice", "secret", "phone");
    TestClient replacing = edge.webSocket().login("alice", "secret", "phone");

    old.assertStreamError("conflict");
    assertThat(replacing.isOpen()).isTrue();
    old.disconnect();
    // The user's sessions on this edge are the new one alone: live deliveries go only there.
    assertThat(edge.services().sessions().sessionsOf(replacing.jid().bare())).hasSize(1);
  }

  // ---- the addresses of stanzas (RFC 6120 §8.1) ----

  @Test
  void aFromThatIsNotTheClientGetsInvalidFrom() {
    TestClient client = edge.webSocket().login("alice", "secret", "phone");

    client.send("<message to='bob@localhost' from='bob@localhost/laptop' type='chat'>"
        + "<body>hi</body></message>");

    client.assertStreamError("invalid-from");
    assertThat(edge.messaging().sends()).isEmpty();
  }

  @Test
  void aFromNamingTheClientsOwnBareJidIsAccepted() {
    TestClient client = edge.webSocket().login("alice", "secret", "phone");

    client.send("<iq type='get' id='p1' from='alice@localhost'><ping xmlns='urn:xmpp:ping'/></iq>");

    assertThat(client.next()).isEqualTo(xml("<iq xmlns='jabber:client' type='result' id='p1'"
        + " to='alice@localhost/phone'/>"));
  }

  @Test
  void aMalformedToGetsAJidMalformedErrorReply() {
    TestClient client = edge.webSocket().login("alice", "secret", "phone");

    client.send("<message to='bob@@localhost' type='chat' id='m1'><body>hi</body></message>");

    XmlElement reply = client.next();
    assertThat(errorCondition(reply)).isEqualTo("jid-malformed");
    assertThat(reply.attribute("id")).contains("m1");
    assertThat(reply.attribute("to")).contains("alice@localhost/phone");
    assertThat(reply.attribute("from")).contains("bob@@localhost");
    assertThat(client.isOpen()).isTrue();
    assertThat(edge.messaging().sends()).isEmpty();
  }
}

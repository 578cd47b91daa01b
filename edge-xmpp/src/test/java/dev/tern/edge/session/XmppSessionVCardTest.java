package dev.tern.edge.session;

import static dev.tern.edge.session.TestClient.errorCondition;
import static dev.tern.edge.session.TestClient.xml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.routing.Refusal;
import dev.tern.routing.vcard.VCardWire;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * XEP-0054 vcard-temp on a bound stream: the IQs of the XEP's examples routed to the vCard
 * handler by their addressing (none, the own bare JID, another user's bare JID, the domain),
 * answered by the server, and refused as the routers refuse.
 */
class XmppSessionVCardTest {

  private static final String STPETERS = "<vCard xmlns='vcard-temp'><FN>Peter Saint-Andre</FN>"
      + "<N><FAMILY>Saint-Andre</FAMILY><GIVEN>Peter</GIVEN><MIDDLE/></N>"
      + "<NICKNAME>stpeter</NICKNAME><URL>http://www.xmpp.org/xsf/people/stpeter.shtml</URL>"
      + "<JABBERID>stpeter@jabber.org</JABBERID></vCard>";

  private final TestEdge edge = TestEdge.create().account("alice", "secret");
  private final FakeVCards vcards = edge.vcards();
  private final TestClient alice = edge.webSocket().login("alice", "secret", "phone");

  @Test
  void theServersDiscoInfoAdvertisesVCardTemp() {
    alice.send("<iq type='get' id='d1' to='localhost'>"
        + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");

    assertThat(alice.next().child("query", "http://jabber.org/protocol/disco#info").orElseThrow()
        .elements()).anySatisfy(f -> assertThat(f.attribute("var")).contains("vcard-temp"));
  }

  @Test
  void noVCardYetIsAnEmptyVCardNotAnError() { // XEP-0054 §3.1, example 4's alternative
    alice.send("<iq type='get' id='v1'><vCard xmlns='vcard-temp'/></iq>");

    assertThat(alice.next()).isEqualTo(xml("<iq xmlns='jabber:client' type='result' id='v1'"
        + " to='alice@localhost/phone'><vCard xmlns='vcard-temp'/></iq>"));
    alice.assertNothingMore();
  }

  @Test
  void aVCardSetIsStoredWholeAndReadBackWithOrWithoutTo() { // examples 1, 2 and 5
    alice.send("<iq type='set' id='v2'>" + STPETERS + "</iq>");
    assertThat(alice.next()).isEqualTo(xml("<iq xmlns='jabber:client' type='result' id='v2'"
        + " to='alice@localhost/phone'/>"));
    assertThat(vcards.stored("alice@localhost")).map(TestClient::xml).contains(xml(STPETERS));

    alice.send("<iq type='get' id='v3'><vCard xmlns='vcard-temp'/></iq>");
    assertThat(alice.next().child("vCard", "vcard-temp")).contains(xml(STPETERS));

    alice.send("<iq type='get' id='v4' to='alice@localhost'><vCard xmlns='vcard-temp'/></iq>");
    XmlElement own = alice.next();
    assertThat(own.attribute("from")).contains("alice@localhost");
    assertThat(own.child("vCard", "vcard-temp")).contains(xml(STPETERS));
  }

  @Test
  void anotherUsersVCardIsAnsweredByTheServerNeverPassedToTheUser() { // example 7
    vcards.put("bob@localhost", "<vCard xmlns='vcard-temp'><NICKNAME>bob</NICKNAME></vCard>");

    alice.send("<iq type='get' id='v5' to='bob@localhost'><vCard xmlns='vcard-temp'/></iq>");

    assertThat(alice.next()).isEqualTo(xml("<iq xmlns='jabber:client' type='result' id='v5'"
        + " to='alice@localhost/phone' from='bob@localhost'>"
        + "<vCard xmlns='vcard-temp'><NICKNAME>bob</NICKNAME></vCard></iq>"));
    assertThat(edge.messaging().confirmed()).isEmpty();
  }

  @Test
  void aBlockedReadGetsTheErrorTheRouterNamedWithItsApplicationCondition() { // XEP-0191 §3.4
    vcards.refuseOthers(new Refusal("not-acceptable", "cancel",
        Optional.of("{urn:xmpp:blocking:errors}blocked")));

    alice.send("<iq type='get' id='v6' to='bob@localhost'><vCard xmlns='vcard-temp'/></iq>");

    XmlElement reply = alice.next();
    assertThat(reply.attribute("type")).contains("error");
    assertThat(reply.attribute("id")).contains("v6");
    assertThat(errorCondition(reply)).isEqualTo("not-acceptable");
    XmlElement error = reply.child("error", "jabber:client").orElseThrow();
    assertThat(error.attribute("type")).contains("cancel");
    assertThat(error.child("blocked", "urn:xmpp:blocking:errors")).isPresent();
  }

  @Test
  void aVCardOverTheLimitIsNotAcceptableAndTheStoredOneStays() {
    vcards.put("alice@localhost", STPETERS);
    String photo = "A".repeat(VCardWire.MAX_BYTES);

    alice.send("<iq type='set' id='v7'><vCard xmlns='vcard-temp'><PHOTO><BINVAL>" + photo
        + "</BINVAL></PHOTO></vCard></iq>");

    XmlElement reply = alice.next();
    assertThat(errorCondition(reply)).isEqualTo("not-acceptable");
    assertThat(reply.child("error", "jabber:client").flatMap(e -> e.attribute("type")))
        .contains("modify");
    assertThat(vcards.stored("alice@localhost")).contains(STPETERS);
  }

  @Test
  void nobodySetsAnotherUsersOrTheServersVCard() {
    alice.send("<iq type='set' id='v8' to='bob@localhost'>" + STPETERS + "</iq>");
    assertThat(errorCondition(alice.next())).isEqualTo("forbidden");

    alice.send("<iq type='set' id='v9' to='localhost'>" + STPETERS + "</iq>");
    assertThat(errorCondition(alice.next())).isEqualTo("forbidden");

    assertThat(vcards.stored("bob@localhost")).isEmpty();
    assertThat(vcards.stored("alice@localhost")).isEmpty();
  }

  @Test
  void theServerHasNoVCardOfItsOwn() {
    alice.send("<iq type='get' id='v10' to='localhost'><vCard xmlns='vcard-temp'/></iq>");

    assertThat(alice.next()).isEqualTo(xml("<iq xmlns='jabber:client' type='result' id='v10'"
        + " to='alice@localhost/phone' from='localhost'><vCard xmlns='vcard-temp'/></iq>"));
  }
}

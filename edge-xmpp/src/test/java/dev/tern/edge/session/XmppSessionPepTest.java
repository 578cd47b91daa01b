package dev.tern.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.routing.Refusal;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Optional;
import java.util.List;
import org.junit.jupiter.api.Test;

/** XEP-0163: the account's PEP service, its IQs handed to a router, and its disco#info. */
class XmppSessionPepTest {

  private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
  private static final String DISCO = "http://jabber.org/protocol/disco#info";
  /** XEP-0163 Example 1. */
  private static final String PUBLISH = "<pubsub xmlns='" + PUBSUB + "'>"
      + "<publish node='http://jabber.org/protocol/tune'><item>"
      + "<tune xmlns='http://jabber.org/protocol/tune'><artist>Yes</artist></tune>"
      + "</item></publish></pubsub>";

  private final TestEdge edge = TestEdge.create().account("juliet", "balcony-at-night");
  private final TestClient juliet = edge.webSocket().login("juliet", "balcony-at-night", "balcony");

  @Test
  void aPublishWithoutToGoesToTheOwnServiceAndTheRoutersResultIsTheAnswer() {
    juliet.drain();
    edge.pep().answer("<pubsub xmlns='" + PUBSUB + "'><publish node='http://jabber.org/protocol/tune'>"
        + "<item id='ae890ac52d0df67ed7cfdf51b644e901'/></publish></pubsub>");

    juliet.send("<iq type='set' id='pub1'>" + PUBLISH + "</iq>");

    XmlElement reply = juliet.next();
    assertThat(reply.attribute("type")).contains("result");
    assertThat(reply.attribute("id")).contains("pub1");
    assertThat(Xml.serialize(reply)).contains("ae890ac52d0df67ed7cfdf51b644e901");
    assertThat(edge.pep().requests()).singleElement().satisfies(r -> {
      assertThat(r.fromFull()).isEqualTo("juliet@localhost/balcony");
      assertThat(r.ownerBare()).isEqualTo("juliet@localhost");
      assertThat(r.type()).isEqualTo("set");
      assertThat(r.pubsubXml()).isEqualTo(Xml.serialize(Xml.parse(PUBLISH)));
    });
  }

  @Test
  void anIqToTheOwnBareJidIsAnsweredFromIt() {
    juliet.drain();

    juliet.send("<iq type='get' id='items1' to='juliet@localhost'><pubsub xmlns='" + PUBSUB
        + "'><items node='urn:xmpp:avatar:metadata'/></pubsub></iq>");

    XmlElement reply = juliet.next();
    assertThat(reply.attribute("type")).contains("result");
    assertThat(reply.attribute("from")).contains("juliet@localhost");
    assertThat(edge.pep().requests()).singleElement()
        .satisfies(r -> assertThat(r.ownerBare()).isEqualTo("juliet@localhost"));
  }

  @Test
  void discoItemsOfAnAccountAreItsNodesAskedOfItsService() { // XEP-0060 §5.2
    juliet.drain();

    juliet.send("<iq type='get' id='di1' to='juliet@localhost'><query xmlns="
        + "'http://jabber.org/protocol/disco#items'/></iq>");
    juliet.send("<iq type='get' id='di2' to='romeo@localhost'><query xmlns="
        + "'http://jabber.org/protocol/disco#items'/></iq>");

    assertThat(juliet.drain()).extracting(e -> e.attribute("type").orElse(""))
        .containsExactly("result", "result");
    assertThat(edge.pep().requests()).extracting(FakePep.Request::ownerBare)
        .containsExactly("juliet@localhost", "romeo@localhost");
  }

  @Test
  void itemsOfAnotherUserAreAskedOfThatUsersService() {
    juliet.drain();

    juliet.send("<iq type='get' id='items2' to='romeo@localhost'><pubsub xmlns='" + PUBSUB
        + "'><items node='urn:xmpp:avatar:metadata' max_items='1'/></pubsub></iq>");

    assertThat(juliet.next().attribute("type")).contains("result");
    assertThat(edge.pep().requests()).singleElement().satisfies(r -> {
      assertThat(r.fromFull()).isEqualTo("juliet@localhost/balcony");
      assertThat(r.ownerBare()).isEqualTo("romeo@localhost");
      assertThat(r.type()).isEqualTo("get");
    });
  }

  @Test
  void theOwnerNamespaceIsOnlyForTheOwnService() {
    juliet.drain();

    juliet.send("<iq type='set' id='del1' to='romeo@localhost'><pubsub xmlns='" + PUBSUB
        + "#owner'><delete node='urn:xmpp:avatar:metadata'/></pubsub></iq>");

    assertThat(TestClient.errorCondition(juliet.next())).isEqualTo("service-unavailable");
    assertThat(edge.pep().requests()).isEmpty();
  }

  @Test
  void aRefusalIsTheStanzaErrorWithXep0060sApplicationCondition() {
    juliet.drain();
    edge.pep().refuse(new Refusal("conflict", "cancel",
        Optional.of("{" + PUBSUB + "#errors}precondition-not-met")));

    juliet.send("<iq type='set' id='pub2'>" + PUBLISH + "</iq>");

    XmlElement reply = juliet.next();
    assertThat(reply.attribute("type")).contains("error");
    assertThat(reply.attribute("id")).contains("pub2");
    assertThat(TestClient.errorCondition(reply)).isEqualTo("conflict");
    XmlElement error = reply.child("error", TestClient.CLIENT).orElseThrow();
    assertThat(error.attribute("type")).contains("cancel");
    assertThat(error.child("precondition-not-met", PUBSUB + "#errors")).isPresent();
  }

  @Test
  void theAccountsDiscoInfoShowsAPepServiceAndTheServersItsFeatures() {
    juliet.drain();

    juliet.send("<iq type='get' id='d1' to='juliet@localhost'><query xmlns='" + DISCO
        + "'/></iq>");
    String account = Xml.serialize(juliet.next());
    assertThat(account).contains("category='account'").contains("type='registered'")
        .contains("category='pubsub'").contains("type='pep'")
        .contains("var='" + PUBSUB + "#publish'").contains("var='" + PUBSUB + "#publish-options'")
        .contains("var='" + PUBSUB + "#retrieve-items'").contains("var='" + PUBSUB + "#auto-create'")
        .contains("var='" + PUBSUB + "#access-presence'");

    // The service is the account's, but Smack's OMEMO and OpenPGP support checks read its
    // features on the domain (ejabberd announces them there too).
    juliet.send("<iq type='get' id='d2' to='localhost'><query xmlns='" + DISCO + "'/></iq>");
    assertThat(Xml.serialize(juliet.next())).doesNotContain("type='pep'")
        .contains("var='" + PUBSUB + "'").contains("var='" + PUBSUB + "#access-whitelist'");
  }

  // ---- notifications (XEP-0163 §4.3) and entity capabilities (XEP-0115) ----

  private static final String TUNE = "http://jabber.org/protocol/tune";
  private static final String CAPS_NODE = "https://example.org/client";

  /** What a client that wants tune notifications answers to disco#info. */
  private static final XmlElement CLIENT_INFO = Xml.parse("<query xmlns='" + DISCO + "'>"
      + "<identity category='client' type='pc' name='Test'/>"
      + "<feature var='" + DISCO + "'/><feature var='" + TUNE + "'/>"
      + "<feature var='" + TUNE + "+notify'/></query>");
  private static final String VER = dev.tern.edge.caps.EntityCaps.sha1Ver(CLIENT_INFO);

  private static String presenceWithCaps(String ver) {
    return "<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='"
        + CAPS_NODE + "' ver='" + ver + "'/></presence>";
  }

  /** The client announces its capabilities and answers the server's disco#info query. */
  private static void becomeAvailableWithCaps(TestClient client) {
    client.drain();
    client.send(presenceWithCaps(VER));
    XmlElement query = client.drain().stream().filter(e -> e.name().equals("iq")).findFirst()
        .orElseThrow();
    assertThat(query.attribute("type")).contains("get");
    assertThat(query.attribute("from")).contains(client.jid().bare().toString());
    assertThat(query.child("query", DISCO).flatMap(q -> q.attribute("node")))
        .contains(CAPS_NODE + "#" + VER);
    client.send("<iq type='result' id='" + query.attribute("id").orElseThrow() + "' to='"
        + client.jid().bare() + "'>" + Xml.serialize(CLIENT_INFO) + "</iq>");
  }

  private static String notification(String node) {
    return "<message xmlns='jabber:client' type='headline' from='romeo@localhost' "
        + "to='juliet@localhost' id='n1'><event xmlns='" + PUBSUB + "#event'><items node='"
        + node + "'><item id='i1'><tune xmlns='" + TUNE + "'><title>Yesterday</title></tune>"
        + "</item></items></event><filter xmlns='urn:tern:pep'/></message>";
  }

  @Test
  void anAvailableSessionAskedForItsCapabilitiesGetsTheNotificationsOfTheNodesItWants() {
    becomeAvailableWithCaps(juliet);
    assertThat(edge.pep().lasts()).singleElement().satisfies(l -> {
      assertThat(l.fullJid()).isEqualTo("juliet@localhost/balcony");
      assertThat(l.nodes()).containsExactly(TUNE);
    });
    juliet.drain();

    assertThat(edge.messaging().passTo("juliet@localhost", notification(TUNE))).isTrue();
    XmlElement event = juliet.next();
    assertThat(event.attribute("to")).contains("juliet@localhost/balcony");
    assertThat(event.attribute("from")).contains("romeo@localhost");
    assertThat(event.child("filter", "urn:tern:pep")).isEmpty();
    assertThat(Xml.serialize(event)).contains("<title>Yesterday</title>");

    assertThat(edge.messaging().passTo("juliet@localhost",
        notification("http://jabber.org/protocol/geoloc"))).isFalse();
    juliet.assertNothingMore();
  }

  @Test
  void aStreamResumedOnAnotherEdgeGetsItsNotificationsWithoutSendingPresenceAgain() {
    String id = juliet.enableSm().attribute("id").orElseThrow();
    becomeAvailableWithCaps(juliet);
    juliet.disconnect(); // no </stream>: resumable

    TestEdge other = edge.sibling().account("juliet", "balcony-at-night");
    TestClient resumed = other.webSocket();
    resumed.authenticate("juliet", "balcony-at-night");
    resumed.send("<resume xmlns='urn:xmpp:sm:3' previd='" + id + "' h='0'/>");
    // The other edge does not know the client's capabilities: it asks, the client answers
    // (the old edge's question, not acknowledged, is sent again too).
    List<XmlElement> sent = resumed.drain();
    assertThat(sent.get(0).name()).isEqualTo("resumed");
    List<XmlElement> queries = sent.stream().filter(e -> e.name().equals("iq")).toList();
    assertThat(queries).hasSize(2);
    for (XmlElement query : queries) {
      resumed.send("<iq type='result' id='" + query.attribute("id").orElseThrow() + "' to='"
          + "juliet@localhost'>" + Xml.serialize(CLIENT_INFO) + "</iq>");
    }

    assertThat(other.messaging().passTo("juliet@localhost", notification(TUNE))).isTrue();
    assertThat(Xml.serialize(resumed.next())).contains("<title>Yesterday</title>");
    assertThat(other.pep().lasts()).as("the last items it had are not sent again").isEmpty();
  }

  @Test
  void aClientThatTurnsItsNotificationsOfANodeOffAndOnAgainGetsItsLastItemAgain() {
    becomeAvailableWithCaps(juliet); // wants tune: its last item is asked for
    XmlElement without = Xml.parse("<query xmlns='" + DISCO + "'>"
        + "<identity category='client' type='pc' name='Test'/>"
        + "<feature var='" + DISCO + "'/><feature var='" + TUNE + "'/></query>");
    String off = dev.tern.edge.caps.EntityCaps.sha1Ver(without);
    juliet.drain();
    juliet.send(presenceWithCaps(off)); // the filter changes: no tune any more
    XmlElement query = juliet.drain().stream().filter(e -> e.name().equals("iq")).findFirst()
        .orElseThrow();
    juliet.send("<iq type='result' id='" + query.attribute("id").orElseThrow() + "' to='"
        + juliet.jid().bare() + "'>" + Xml.serialize(without) + "</iq>");

    juliet.send(presenceWithCaps(VER)); // and back (XEP-0163 §4.3.3)

    assertThat(edge.pep().lasts()).hasSize(2).last()
        .satisfies(l -> assertThat(l.nodes()).containsExactly(TUNE));
  }

  @Test
  void aSessionThatIsNotAvailableGetsNoNotification() {
    juliet.drain();

    assertThat(edge.messaging().passTo("juliet@localhost", notification(TUNE))).isFalse();
    juliet.assertNothingMore();
  }

  @Test
  void verifiedCapabilitiesAreNotAskedForAgainAndUnverifiedOnesAre() {
    becomeAvailableWithCaps(juliet);
    edge.account("nurse", "balcony-at-night");
    TestClient nurse = edge.webSocket().login("nurse", "balcony-at-night", "chamber");
    nurse.drain();

    nurse.send(presenceWithCaps(VER));
    assertThat(nurse.drain()).noneMatch(e -> e.name().equals("iq"));
    assertThat(edge.pep().lasts()).last()
        .satisfies(l -> assertThat(l.fullJid()).isEqualTo("nurse@localhost/chamber"));

    nurse.send(presenceWithCaps("bm90IHRoZSBoYXNoIG9mIGFueXRoaW5nIQ=="));
    assertThat(nurse.drain()).anyMatch(e -> e.name().equals("iq"));
  }

  @Test
  void aClientCannotSendTheRoutersFilterMarker() {
    juliet.drain();

    juliet.send("<message type='chat' to='romeo@localhost' id='m1'><body>hi</body>"
        + "<filter xmlns='urn:tern:pep'/></message>");

    assertThat(Xml.serialize(edge.messaging().lastSend().stanza())).doesNotContain("urn:tern:pep");
  }

  @Test
  void discoInfoOfANodeGoesToTheRouterForTheOwnAccountAndForOthers() {
    juliet.drain();
    edge.pep().answer("<query xmlns='" + DISCO + "' node='urn:xmpp:omemo:2:devices'>"
        + "<identity category='pubsub' type='leaf'/></query>");

    juliet.send("<iq type='get' id='n1' to='juliet@localhost'><query xmlns='" + DISCO
        + "' node='urn:xmpp:omemo:2:devices'/></iq>");
    assertThat(Xml.serialize(juliet.next())).contains("type='leaf'");
    juliet.send("<iq type='get' id='n2' to='romeo@localhost'><query xmlns='" + DISCO
        + "' node='urn:xmpp:omemo:2:devices'/></iq>");
    assertThat(Xml.serialize(juliet.next())).contains("type='leaf'");

    assertThat(edge.pep().requests()).extracting(FakePep.Request::ownerBare)
        .containsExactly("juliet@localhost", "romeo@localhost");
  }

  @Test
  void anotherUsersDiscoInfoShowsAnAccountWithAPepService() {
    juliet.drain();

    juliet.send("<iq type='get' id='o1' to='romeo@localhost'><query xmlns='" + DISCO
        + "'/></iq>");

    XmlElement reply = juliet.next();
    assertThat(reply.attribute("from")).contains("romeo@localhost");
    assertThat(Xml.serialize(reply)).contains("type='registered'").contains("type='pep'");
    assertThat(edge.pep().requests()).isEmpty();
  }
}

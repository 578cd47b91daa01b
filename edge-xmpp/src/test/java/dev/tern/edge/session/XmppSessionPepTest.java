package dev.tern.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.routing.Refusal;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Optional;
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
  void theAccountsDiscoInfoShowsAPepServiceAndTheServersDoesNot() {
    juliet.drain();

    juliet.send("<iq type='get' id='d1' to='juliet@localhost'><query xmlns='" + DISCO
        + "'/></iq>");
    String account = Xml.serialize(juliet.next());
    assertThat(account).contains("category='account'").contains("type='registered'")
        .contains("category='pubsub'").contains("type='pep'")
        .contains("var='" + PUBSUB + "#publish'").contains("var='" + PUBSUB + "#publish-options'")
        .contains("var='" + PUBSUB + "#retrieve-items'").contains("var='" + PUBSUB + "#auto-create'")
        .contains("var='" + PUBSUB + "#access-presence'");

    juliet.send("<iq type='get' id='d2' to='localhost'><query xmlns='" + DISCO + "'/></iq>");
    assertThat(Xml.serialize(juliet.next())).doesNotContain("type='pep'")
        .doesNotContain(PUBSUB + "#publish");
  }
}

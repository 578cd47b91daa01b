package dev.tern.edge.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.Xml;
import dev.tern.edge.codec.TestXml;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.routing.roster.RosterWire;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** One session's presence, with RFC 6121 §4's stanzas, against a recording wire. */
class SessionPresenceTest {

  /** What the session sent: passing stanzas and router requests, in order. */
  private record Sent(String kind, String to, String op, String xml) {}

  private final List<Sent> sent = new ArrayList<>();
  private final SessionPresence.Wire wire = new SessionPresence.Wire() {
    @Override
    public void pass(String toJid, String xml) {
      sent.add(new Sent("pass", toJid, "", xml));
    }

    @Override
    public CompletionStage<Void> presence(String fullJid, String op, String xml, String status) {
      sent.add(new Sent("presence", fullJid, op, xml + "|" + status));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> subscription(String fromBare, String toBare, String type,
        String xml) {
      sent.add(new Sent("subscription", fromBare + ">" + toBare, type, xml));
      return CompletableFuture.completedFuture(null);
    }
  };
  private final SessionPresence presence = new SessionPresence("example.com", wire);
  private final Jid juliet = Jid.of("juliet", "example.com", "balcony");

  private static XmlElement xml(String s) {
    return TestXml.parse(s);
  }

  private void client(String stanza) {
    presence.fromClient(juliet, xml(stanza).toBuilder().attribute("from", juliet.toString()).build());
  }

  @Test
  void initialPresenceGoesToARouterAsInitialAndTheNextAsAnUpdate() {
    client("<presence xmlns='jabber:client'/>");
    client("<presence xmlns='jabber:client'><show>away</show></presence>");

    assertThat(sent).extracting(Sent::kind, Sent::to, Sent::op).containsExactly(
        org.assertj.core.groups.Tuple.tuple("presence", juliet.toString(), RosterWire.INITIAL),
        org.assertj.core.groups.Tuple.tuple("presence", juliet.toString(), RosterWire.AVAILABLE));
    assertThat(presence.available()).isTrue();
  }

  @Test
  void aProbeIsAnsweredWithTheLastPresenceToTheProberOnlyWhileAvailable() {
    XmlElement probe = xml("<presence xmlns='jabber:client' type='probe'"
        + " from='romeo@example.com/orchard' to='juliet@example.com'/>");

    assertThat(presence.incoming(juliet, "juliet@example.com", probe).taken()).isFalse();

    client("<presence xmlns='jabber:client'><status>on the balcony</status></presence>");
    sent.clear();
    SessionPresence.Incoming in = presence.incoming(juliet, "juliet@example.com", probe);

    assertThat(in.taken()).isTrue();
    assertThat(in.deliver()).isEmpty(); // probes are the server's, never the client's
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).to()).isEqualTo("romeo@example.com/orchard");
    XmlElement answer = Xml.parse(sent.get(0).xml());
    assertThat(answer.attribute("from")).contains(juliet.toString());
    assertThat(answer.attribute("to")).contains("romeo@example.com/orchard");
    assertThat(answer.child("status", "jabber:client").map(XmlElement::text)).contains("on the balcony");
  }

  @Test
  void presenceForTheBareJidReachesOnlyAnAvailableSessionAddressedToIt() {
    XmlElement broadcast = xml("<presence xmlns='jabber:client' from='romeo@example.com/orchard'/>");

    assertThat(presence.incoming(juliet, "juliet@example.com", broadcast).deliver()).isEmpty();
    assertThat(presence.incoming(juliet, juliet.toString(), broadcast).deliver()).isPresent();

    client("<presence xmlns='jabber:client'/>");

    assertThat(presence.incoming(juliet, "juliet@example.com", broadcast).deliver())
        .hasValueSatisfying(p -> assertThat(p.attribute("to")).contains("juliet@example.com"));
  }

  @Test
  void rosterPushesReachOnlyInterestedSessionsAddressedToTheirResource() {
    XmlElement push = xml("<iq xmlns='jabber:client' type='set' id='push1' to='juliet@example.com'>"
        + "<query xmlns='jabber:iq:roster'><item jid='nurse@example.com'/></query></iq>");

    assertThat(presence.incoming(juliet, "juliet@example.com", push).taken()).isFalse();

    presence.interested();

    assertThat(presence.incoming(juliet, "juliet@example.com", push).deliver())
        .hasValueSatisfying(iq -> assertThat(iq.attribute("to")).contains(juliet.toString()));
  }

  private static XmlElement versionedPush(String contact, String subscription, long version) {
    return xml("<iq xmlns='jabber:client' type='set' id='push-" + version + "'"
        + " to='juliet@example.com'><query xmlns='jabber:iq:roster'><item jid='" + contact
        + "' subscription='" + subscription + "'/></query>"
        + "<order xmlns='urn:tern:roster' version='" + version + "'/></iq>");
  }

  @Test
  void aRosterPushOlderThanTheLastDeliveredForItsContactIsDroppedAndTheVersionNeverShown() {
    presence.interested();

    var both = presence.incoming(juliet, "juliet@example.com",
        versionedPush("romeo@example.com", "both", 7));
    var olderFrom = presence.incoming(juliet, "juliet@example.com",
        versionedPush("romeo@example.com", "from", 6));
    var otherContact = presence.incoming(juliet, "juliet@example.com",
        versionedPush("nurse@example.com", "to", 3));
    var newerRemove = presence.incoming(juliet, "juliet@example.com",
        versionedPush("romeo@example.com", "remove", 8));

    assertThat(both.deliver()).hasValueSatisfying(iq -> {
      assertThat(iq.elements()).extracting(XmlElement::name).containsExactly("query");
      assertThat(Xml.serialize(iq)).doesNotContain("urn:tern:roster");
    });
    assertThat(olderFrom.taken()).isFalse();
    assertThat(otherContact.deliver()).isPresent();
    assertThat(newerRemove.deliver()).isPresent();
  }

  @Test
  void subscriptionStanzasGoToARouterStampedWithTheBareJid() {
    client("<presence xmlns='jabber:client' type='subscribe' to='Romeo@example.com/orchard'/>");
    client("<presence xmlns='jabber:client' type='subscribed' to='juliet@example.com'/>");

    assertThat(sent).hasSize(1); // none to oneself
    assertThat(sent.get(0).kind()).isEqualTo("subscription");
    assertThat(sent.get(0).to()).isEqualTo("juliet@example.com>romeo@example.com");
    assertThat(sent.get(0).op()).isEqualTo("subscribe");
    XmlElement stamped = Xml.parse(sent.get(0).xml());
    assertThat(stamped.attribute("from")).contains("juliet@example.com");
    assertThat(stamped.attribute("to")).contains("romeo@example.com");
  }

  @Test
  void directedPresenceIsPassedAsItIsAndUnavailableFollowsItWhenTheSessionEnds() {
    client("<presence xmlns='jabber:client'/>");
    client("<presence xmlns='jabber:client' to='benvolio@example.com'><show>chat</show></presence>");
    sent.clear();

    presence.ended(juliet);

    assertThat(sent).extracting(Sent::kind, Sent::to).containsExactly(
        org.assertj.core.groups.Tuple.tuple("presence", juliet.toString()),
        org.assertj.core.groups.Tuple.tuple("pass", "benvolio@example.com"));
    assertThat(sent.get(0).op()).isEqualTo(RosterWire.UNAVAILABLE);
    assertThat(Xml.parse(sent.get(1).xml()).attribute("type")).contains("unavailable");
    assertThat(presence.available()).isFalse();
  }

  @Test
  void anUnavailablePresenceCarriesItsStatusAndTheEndIsThenSilent() {
    client("<presence xmlns='jabber:client'/>");
    client("<presence xmlns='jabber:client' type='unavailable'><status>gone</status></presence>");
    sent.clear();

    presence.ended(juliet);

    assertThat(sent).isEmpty();
  }

  @Test
  void aSessionThatWasNeverAvailableEndsSilently() {
    presence.ended(juliet);

    assertThat(sent).isEmpty();
  }

  @Test
  void theRetractInstructionSendsUnavailableButAClientMayNotSendIt() {
    String retract = "<presence xmlns='jabber:client' type='unavailable' from='romeo@example.com'"
        + " to='juliet@example.com'><retract xmlns='urn:tern:presence'/></presence>";
    client("<presence xmlns='jabber:client'/>");
    sent.clear();

    SessionPresence.Incoming in = presence.incoming(juliet, "juliet@example.com", xml(retract));

    assertThat(in.deliver()).isEmpty();
    assertThat(sent).extracting(Sent::kind, Sent::to).containsExactly(
        org.assertj.core.groups.Tuple.tuple("pass", "romeo@example.com"));
    sent.clear();

    client(retract.replace(" from='romeo@example.com'", ""));

    assertThat(sent).isEmpty();
  }
}

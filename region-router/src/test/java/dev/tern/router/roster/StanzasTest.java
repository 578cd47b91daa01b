package dev.tern.router.roster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.tern.routing.roster.RosterWire;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.Subscription;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the edge reads back, with {@link Xml#parse}, of the stanzas the router writes. */
class StanzasTest {

  @Test
  void aVersionedPushCarriesItsItemAndItsOrderBesideTheQuery() {
    RosterItem item = new RosterItem("romeo@example.net", Optional.of("Roméo"),
        Set.of("Friends"), Subscription.BOTH, false, true).withVersion(42);

    XmlElement iq = Xml.parse(Stanzas.push("juliet@example.com", item, false));

    assertThat(iq.name()).isEqualTo("iq");
    assertThat(iq.namespace()).isEqualTo("jabber:client");
    assertThat(iq.attribute("type")).contains("set");
    assertThat(iq.attribute("to")).contains("juliet@example.com");
    assertThat(iq.attribute("id")).hasValueSatisfying(id -> assertThat(id).startsWith("push-"));
    XmlElement pushed = iq.child("query", "jabber:iq:roster").orElseThrow()
        .child("item", "jabber:iq:roster").orElseThrow();
    assertThat(pushed.attributes()).containsExactly(entry("jid", "romeo@example.net"),
        entry("name", "Roméo"), entry("subscription", "both"), entry("approved", "true"));
    assertThat(pushed.elements()).singleElement()
        .satisfies(g -> assertThat(g.text()).isEqualTo("Friends"));
    assertThat(iq.child("order", RosterWire.ORDER_NS).orElseThrow().attribute("version"))
        .contains("42");
  }

  @Test
  void anUnversionedPushCarriesNoOrder() {
    XmlElement iq = Xml.parse(Stanzas.push("juliet@example.com",
        RosterItem.of("romeo@example.net"), true));

    assertThat(iq.child("order", RosterWire.ORDER_NS)).isEmpty();
  }

  @Test
  void aRetractIsAnUnavailablePresenceCarryingTheEdgeInstruction() {
    XmlElement presence = Xml.parse(Stanzas.retract("romeo@example.net",
        "juliet@example.com"));

    assertThat(presence.attributes()).containsEntry("type", "unavailable")
        .containsEntry("from", "romeo@example.net").containsEntry("to", "juliet@example.com");
    assertThat(presence.child("retract", Stanzas.RETRACT_NS)).isPresent();
  }

  @Test
  void aResourceWithMarkupCharactersComesBackAsItWas() {
    String full = "juliet@example.com/<balcony & 'garden'>";

    XmlElement probe = Xml.parse(Stanzas.probe(full, "romeo@example.net"));
    XmlElement gone = Xml.parse(Stanzas.unavailable(full));

    assertThat(probe.attribute("from")).contains(full);
    assertThat(probe.attribute("type")).contains("probe");
    assertThat(gone.attribute("from")).contains(full);
    assertThat(gone.children()).isEmpty();
  }

  @Test
  void aSubscriptionAnswerIsAPresenceOfThatType() {
    assertThat(Stanzas.subscription("subscribed", "juliet@example.com", "romeo@example.net"))
        .isEqualTo("<presence xmlns='jabber:client' type='subscribed'"
            + " from='juliet@example.com' to='romeo@example.net'/>");
  }
}

package dev.tern.router.roster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.routing.roster.RosterWire;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RosterWireTest {

  @Test
  void rosterItemsSurviveTheWire() {
    List<RosterItem> items = List.of(
        new RosterItem("romeo@example.net", Optional.of("Roméo"), Set.of("Friends", "Ωmega"),
            Subscription.BOTH, true, false),
        new RosterItem("nurse@example.com", Optional.empty(), Set.of(), Subscription.NONE, false, true));

    assertThat(RosterWire.decodeItems(RosterWire.encodeItems(items))).isEqualTo(items);
    assertThat(RosterWire.decodeItems(RosterWire.encodeItems(List.of()))).isEmpty();
  }

  @Test
  void aPresencePayloadSurvivesTheWire() {
    RosterWire.PresencePayload p = new RosterWire.PresencePayload(
        "<presence xmlns='jabber:client'/>", "dans la forêt");

    assertThat(RosterWire.decodePresence(RosterWire.encodePresence(p))).isEqualTo(p);
  }

  @Test
  void aPushCarriesTheItemEscapedAndARemovalOnlyItsJid() {
    RosterItem item = new RosterItem("romeo@example.net", Optional.of("R&J's <3"), Set.of("A"),
        Subscription.TO, true, false);

    assertThat(Stanzas.push("juliet@example.com", item, false))
        .startsWith("<iq xmlns='jabber:client' type='set' id='push-")
        .endsWith("' to='juliet@example.com'><query xmlns='jabber:iq:roster'>"
            + "<item jid='romeo@example.net' name='R&amp;J&apos;s &lt;3' subscription='to'"
            + " ask='subscribe'><group>A</group></item></query></iq>");
    assertThat(Stanzas.push("juliet@example.com", item, true))
        .endsWith("<item jid='romeo@example.net' subscription='remove'/></query></iq>");
  }
}

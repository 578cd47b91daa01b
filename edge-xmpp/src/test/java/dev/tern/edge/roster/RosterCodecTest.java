package dev.tern.edge.roster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.edge.iq.IqError;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.edge.codec.TestXml;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Roster payloads from RFC 6121's own examples, and its §2.3.3 error cases. */
class RosterCodecTest {

  private static XmlElement query(String items) {
    return TestXml.parse("<query xmlns='jabber:iq:roster'>" + items + "</query>");
  }

  private static void assertRefused(String items, StanzaErrorCondition condition) {
    assertThatThrownBy(() -> RosterCodec.parse("set", query(items)))
        .isInstanceOfSatisfying(IqError.class, e -> assertThat(e.condition()).isEqualTo(condition));
  }

  @Test
  void aRosterGetAsksForTheWholeRoster() {
    assertThat(RosterCodec.parse("get", query(""))).isEqualTo(new RosterCodec.Get());
  }

  @Test
  void aRosterSetAddsTheItemOfSection2_4_1() {
    RosterCodec.Request r = RosterCodec.parse("set", query(
        "<item jid='nurse@example.com' name='Nurse'><group>Servants</group></item>"));

    assertThat(r).isEqualTo(new RosterCodec.Set(new RosterItem("nurse@example.com",
        Optional.of("Nurse"), Set.of("Servants"), Subscription.NONE, false, false),
        Optional.empty()));
  }

  @Test
  void theSubscriptionAClientRepeatsIsPassedOnToBeCheckedAndRemoveRemoves() {
    assertThat(RosterCodec.parse("set", query("<item jid='Romeo@Example.net/orchard' subscription='both'/>")))
        .isEqualTo(new RosterCodec.Set(RosterItem.of("romeo@example.net"), Optional.of(Subscription.BOTH)));
    assertThat(RosterCodec.parse("set", query("<item jid='nurse@example.com' subscription='none'/>")))
        .isEqualTo(new RosterCodec.Set(RosterItem.of("nurse@example.com"), Optional.empty()));
    assertThat(RosterCodec.parse("set", query("<item jid='nurse@example.com' subscription='remove'/>")))
        .isEqualTo(new RosterCodec.Remove("nurse@example.com"));
  }

  @Test
  void aRosterSetWithTwoItemsIsABadRequest() {
    assertRefused("<item jid='nurse@example.com'/><item jid='romeo@example.net'/>",
        StanzaErrorCondition.BAD_REQUEST);
    assertRefused("", StanzaErrorCondition.BAD_REQUEST);
  }

  @Test
  void duplicateGroupsAreABadRequestAndAnEmptyGroupIsNotAcceptable() {
    assertRefused("<item jid='nurse@example.com'><group>A</group><group>A</group></item>",
        StanzaErrorCondition.BAD_REQUEST);
    assertRefused("<item jid='nurse@example.com'><group></group></item>",
        StanzaErrorCondition.NOT_ACCEPTABLE);
    assertRefused("<item jid='nurse@example.com' name='" + "n".repeat(1024) + "'/>",
        StanzaErrorCondition.NOT_ACCEPTABLE);
  }

  @Test
  void anItemWithoutAValidJidIsRefused() {
    assertRefused("<item name='x'/>", StanzaErrorCondition.BAD_REQUEST);
    assertRefused("<item jid='a@b@c'/>", StanzaErrorCondition.JID_MALFORMED);
    assertRefused("<item jid='nurse@example.com' subscription='maybe'/>",
        StanzaErrorCondition.BAD_REQUEST);
  }

  @Test
  void theRosterResultListsEachItemWithItsState() {
    XmlElement q = RosterCodec.query(List.of(
        new RosterItem("romeo@example.net", Optional.of("Romeo"), Set.of("Friends"),
            Subscription.BOTH, false, false),
        new RosterItem("nurse@example.com", Optional.empty(), Set.of(), Subscription.NONE, true, true)));

    assertThat(Xml.serialize(q)).isEqualTo(Xml.serialize(TestXml.parse(
        "<query xmlns='jabber:iq:roster'>"
            + "<item jid='romeo@example.net' name='Romeo' subscription='both'><group>Friends</group></item>"
            + "<item jid='nurse@example.com' subscription='none' ask='subscribe' approved='true'/>"
            + "</query>")));
  }
}

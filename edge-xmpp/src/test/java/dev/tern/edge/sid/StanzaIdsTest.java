package dev.tern.edge.sid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;

class StanzaIdsTest {

  private static final String SID = "urn:xmpp:sid:0";

  private static XmlElement message(String children) {
    return Xml.parse("<message xmlns='jabber:client' from='alice@localhost/phone'"
        + " to='bob@localhost' type='chat'><body>hi</body>" + children + "</message>");
  }

  private static String stanzaId(String by) {
    return "<stanza-id xmlns='" + SID + "' id='forged' by='" + by + "'/>";
  }

  @Test
  void stanzaIdsNamingTheDomainOrAJidAtItAreRemoved() {
    // XEP-0359 §3.3: the server's own, the sender's, the recipient's, and any other of its JIDs
    XmlElement sent = message(stanzaId("localhost") + stanzaId("alice@localhost")
        + stanzaId("bob@localhost") + stanzaId("carol@localhost/laptop")
        + stanzaId("BOB@LocalHost"));

    assertThat(StanzaIds.withoutOwn(sent, "localhost")).isEqualTo(message(""));
  }

  @Test
  void aStanzaIdWithoutAByOrWithABadOneIsRemoved() {
    XmlElement sent = message("<stanza-id xmlns='" + SID + "' id='x'/>" + stanzaId("a@@b"));

    assertThat(StanzaIds.withoutOwn(sent, "localhost")).isEqualTo(message(""));
  }

  @Test
  void aStanzaIdOfAnotherServiceAndTheOriginIdStay() {
    String kept = stanzaId("room@muc.example.org") + "<origin-id xmlns='" + SID + "' id='o1'/>";
    XmlElement sent = message(stanzaId("localhost") + kept);

    assertThat(StanzaIds.withoutOwn(sent, "localhost")).isEqualTo(message(kept));
  }

  @Test
  void aMessageWithoutStanzaIdsIsLeftAsItIs() {
    XmlElement sent = message("<origin-id xmlns='" + SID + "' id='o1'/>");

    assertThat(StanzaIds.withoutOwn(sent, "localhost")).isSameAs(sent);
  }

  @Test
  void theIdAJidGaveIsFoundByThatJid() {
    // XEP-0359 §4 Example 2, by this server's user
    XmlElement received = message("<stanza-id xmlns='" + SID
        + "' id='de305d54-75b4-431b-adb2-eb6b9e546013' by='bob@localhost'/>");

    assertThat(StanzaIds.of(received, Jid.of("bob", "localhost", null)))
        .contains("de305d54-75b4-431b-adb2-eb6b9e546013");
    assertThat(StanzaIds.of(received, Jid.of("alice", "localhost", null))).isEmpty();
  }
}

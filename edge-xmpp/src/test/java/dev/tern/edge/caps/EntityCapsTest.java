package dev.tern.edge.caps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** XEP-0115's verification string, from the XEP's own examples (§5.2, §5.3). */
class EntityCapsTest {

  @Test
  void theSimpleExampleHashesToItsVer() {
    XmlElement query = Xml.parse("<query xmlns='http://jabber.org/protocol/disco#info' "
        + "node='http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0='>"
        + "<identity category='client' name='Exodus 0.9.1' type='pc'/>"
        + "<feature var='http://jabber.org/protocol/caps'/>"
        + "<feature var='http://jabber.org/protocol/disco#info'/>"
        + "<feature var='http://jabber.org/protocol/disco#items'/>"
        + "<feature var='http://jabber.org/protocol/muc'/></query>");

    assertThat(EntityCaps.sha1Ver(query)).isEqualTo("QgayPKawpkPSDYmwT/WM94uAlu0=");
    assertThat(EntityCaps.features(query)).contains("http://jabber.org/protocol/muc")
        .hasSize(4);
  }

  @Test
  void theComplexExampleWithLanguagesAndAFormHashesToItsVer() {
    XmlElement query = Xml.parse("<query xmlns='http://jabber.org/protocol/disco#info' "
        + "node='http://psi-im.org#q07IKJEyjvHSyhy//CH0CxmKi8w='>"
        + "<identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>"
        + "<identity xml:lang='el' category='client' name='\u03a8 0.11' type='pc'/>"
        + "<feature var='http://jabber.org/protocol/caps'/>"
        + "<feature var='http://jabber.org/protocol/disco#info'/>"
        + "<feature var='http://jabber.org/protocol/disco#items'/>"
        + "<feature var='http://jabber.org/protocol/muc'/>"
        + "<x xmlns='jabber:x:data' type='result'>"
        + "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value>"
        + "</field><field var='ip_version'><value>ipv4</value><value>ipv6</value></field>"
        + "<field var='os'><value>Mac</value></field>"
        + "<field var='os_version'><value>10.5.1</value></field>"
        + "<field var='software'><value>Psi</value></field>"
        + "<field var='software_version'><value>0.11</value></field></x></query>");

    assertThat(EntityCaps.sha1Ver(query)).isEqualTo("q07IKJEyjvHSyhy//CH0CxmKi8w=");
  }

  @Test
  void aPresenceWithoutACompleteCIsNoCapabilities() {
    assertThat(EntityCaps.of(Xml.parse("<presence xmlns='jabber:client'/>"))).isEmpty();
    assertThat(EntityCaps.of(Xml.parse("<presence xmlns='jabber:client'><c xmlns="
        + "'http://jabber.org/protocol/caps' node='n'/></presence>"))).isEmpty();
  }

  @Test
  void theCacheForgetsTheLeastRecentlyUsedVer() {
    CapsCache cache = new CapsCache(2);
    cache.put("a", Set.of("x"));
    cache.put("b", Set.of("y"));
    cache.features("a");
    cache.put("c", Set.of("z"));

    assertThat(cache.features("a")).contains(Set.of("x"));
    assertThat(cache.features("b")).isEmpty();
  }
}

package dev.tern.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.xmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;

/** XEP-0313 §6.1 preferences: every message is archived, and the server says so. */
class XmppSessionMamPrefsTest {

  private static final String MAM = "urn:xmpp:mam:2";

  private final TestEdge edge = TestEdge.create().account("juliet", "balcony-at-night");
  private final TestClient juliet = edge.webSocket().login("juliet", "balcony-at-night", "phone");

  @Test
  void thePreferencesAreAlwaysWithoutExceptions() {
    juliet.drain();
    juliet.send("<iq type='get' id='p1'><prefs xmlns='" + MAM + "'/></iq>");

    XmlElement prefs = juliet.next().child("prefs", MAM).orElseThrow();
    assertThat(prefs.attribute("default")).contains("always");
  }

  @Test
  void settingWhatTheServerDoesIsAnsweredWithIt() {
    juliet.drain();
    juliet.send("<iq type='set' id='p2'><prefs xmlns='" + MAM + "' default='always'>"
        + "<always/><never/></prefs></iq>");

    XmlElement reply = juliet.next();
    assertThat(reply.attribute("type")).contains("result");
    assertThat(reply.child("prefs", MAM).flatMap(p -> p.attribute("default"))).contains("always");
  }

  @Test
  void askingForLessArchivingIsNotImplementedRatherThanIgnored() {
    juliet.drain();
    juliet.send("<iq type='set' id='p3'><prefs xmlns='" + MAM + "' default='never'/></iq>");
    assertThat(TestClient.errorCondition(juliet.next())).isEqualTo("feature-not-implemented");

    juliet.send("<iq type='set' id='p4'><prefs xmlns='" + MAM + "' default='always'><always/>"
        + "<never><jid>romeo@montague.lit</jid></never></prefs></iq>");
    assertThat(TestClient.errorCondition(juliet.next())).isEqualTo("feature-not-implemented");
  }
}

package dev.tern.edge.carbons;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.xmpp.jid.Jid;
import dev.tern.edge.codec.TestXml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CarbonsTest {

  private static final Jid ROMEO_HOME = Jid.of("romeo", "montague.example", "home");
  private static final Jid ROMEO_GARDEN = Jid.of("romeo", "montague.example", "garden");

  /** XEP-0280 §7, Example 12: what Romeo sends from his garden device. */
  private static final String SENT = "<message xmlns='jabber:client'"
      + " to='juliet@capulet.example/balcony' from='romeo@montague.example/garden' type='chat'>"
      + "<body>What man art thou that, thus bescreen'd in night, so stumblest on my counsel?</body>"
      + "<thread>0e3141cd80894871a68e6fe6b1ec56fa</thread></message>";

  @Test
  void aSentChatMessageIsCopiedForTheSendersBareJidAsXep0280Shows() {
    XmlElement message = TestXml.parse(SENT);

    XmlElement copy = Carbons.sentCopy(message, ROMEO_GARDEN).orElseThrow();

    // XEP-0280 §7, Example 13
    assertThat(copy.name()).isEqualTo("message");
    assertThat(copy.attribute("from")).contains("romeo@montague.example");
    assertThat(copy.attribute("to")).contains("romeo@montague.example");
    assertThat(copy.attribute("type")).contains("chat");
    XmlElement forwarded = copy.child("sent", Carbons.NAMESPACE).orElseThrow()
        .child("forwarded", Carbons.FORWARD).orElseThrow();
    assertThat(forwarded.child("message", "jabber:client")).contains(message);
    assertThat(Carbons.isCopy(copy)).isTrue();
  }

  @Test
  void eachOtherSessionGetsTheCopyAddressedToItselfAndTheSenderGetsNone() {
    XmlElement copy = Carbons.sentCopy(TestXml.parse(SENT), ROMEO_GARDEN).orElseThrow();

    assertThat(Carbons.forSession(copy, ROMEO_HOME).orElseThrow().attribute("to"))
        .contains("romeo@montague.example/home");
    assertThat(Carbons.forSession(copy, ROMEO_GARDEN)).isEmpty();
  }

  @Test
  void aPrivateMessageIsNotCopied() {
    // XEP-0280 §8, Example 15
    XmlElement message = TestXml.parse("<message xmlns='jabber:client'"
        + " to='juliet@capulet.example/balcony' from='romeo@montague.example/home' type='chat'>"
        + "<body>Neither, fair saint, if either thee dislike.</body>"
        + "<private xmlns='urn:xmpp:carbons:2'/><no-copy xmlns='urn:xmpp:hints'/></message>");

    assertThat(Carbons.sentCopy(message, ROMEO_HOME)).isEmpty();
  }

  @Test
  void aNoCopyHintAloneSuppressesTheCopyToo() {
    XmlElement message = TestXml.parse("<message xmlns='jabber:client' type='chat'>"
        + "<body>b</body><no-copy xmlns='urn:xmpp:hints'/></message>");

    assertThat(Carbons.sentCopy(message, ROMEO_HOME)).isEmpty();
  }

  @Test
  void receiptsMarkersAndChatStatesAreCopiedButABodilessNormalMessageIsNot() {
    assertThat(Carbons.eligible(TestXml.parse("<message xmlns='jabber:client'>"
        + "<received xmlns='urn:xmpp:receipts' id='m1'/></message>"))).isTrue();
    assertThat(Carbons.eligible(TestXml.parse("<message xmlns='jabber:client' type='chat'>"
        + "<displayed xmlns='urn:xmpp:chat-markers:0' id='m1'/></message>"))).isTrue();
    assertThat(Carbons.eligible(TestXml.parse("<message xmlns='jabber:client'>"
        + "<x xmlns='urn:example'/></message>"))).isFalse();
    assertThat(Carbons.eligible(TestXml.parse("<message xmlns='jabber:client' type='normal'>"
        + "<body>b</body></message>"))).isTrue();
  }

  /** XEP-0280 §6, Example 9: what Juliet sends to Romeo's home device. */
  private static String toRomeo(String to, String type, String extra) {
    return "<message xmlns='jabber:client' from='juliet@capulet.example/balcony' to='" + to
        + "' type='" + type + "'><body>Wherefore art thou, Romeo?</body>"
        + "<thread>0e3141cd80894871a68e6fe6b1ec56fa</thread>" + extra + "</message>";
  }

  @Test
  void aMessageToAnotherResourceIsCopiedAsReceivedForThisOneAsXep0280Shows() {
    XmlElement message = TestXml.parse(toRomeo("romeo@montague.example/home", "chat", ""));

    XmlElement copy = Carbons.receivedCopy(message, ROMEO_GARDEN).orElseThrow();

    // XEP-0280 §6, Example 10
    assertThat(copy.attribute("from")).contains("romeo@montague.example");
    assertThat(copy.attribute("to")).contains("romeo@montague.example/garden");
    assertThat(copy.attribute("type")).contains("chat");
    assertThat(Carbons.receivedMessage(copy)).contains(message);
    assertThat(Carbons.isCopy(copy)).isTrue();
  }

  @Test
  void noReceivedCopyForTheResourceItselfTheBareJidOrAnotherUser() {
    assertThat(Carbons.receivedCopy(TestXml.parse(toRomeo("romeo@montague.example/garden",
        "chat", "")), ROMEO_GARDEN)).isEmpty();
    assertThat(Carbons.receivedCopy(TestXml.parse(toRomeo("romeo@montague.example", "chat",
        "")), ROMEO_GARDEN)).isEmpty();
    assertThat(Carbons.receivedCopy(TestXml.parse(toRomeo("benvolio@montague.example/home",
        "chat", "")), ROMEO_GARDEN)).isEmpty();
  }

  @Test
  void noReceivedCopyOfAPrivateNoCopyErrorOrGroupchatMessage() {
    String home = "romeo@montague.example/home";
    assertThat(Carbons.receivedCopy(TestXml.parse(toRomeo(home, "chat",
        "<private xmlns='urn:xmpp:carbons:2'/>")), ROMEO_GARDEN)).isEmpty();
    assertThat(Carbons.receivedCopy(TestXml.parse(toRomeo(home, "chat",
        "<no-copy xmlns='urn:xmpp:hints'/>")), ROMEO_GARDEN)).isEmpty();
    assertThat(Carbons.receivedCopy(TestXml.parse(toRomeo(home, "error", "")), ROMEO_GARDEN))
        .isEmpty();
    assertThat(Carbons.receivedCopy(TestXml.parse(toRomeo(home, "groupchat", "")), ROMEO_GARDEN))
        .isEmpty();
    assertThat(Carbons.receivedCopy(TestXml.parse(toRomeo(home, "normal", "")), ROMEO_GARDEN))
        .isPresent(); // §6.1: a normal message with a body is copied
  }

  @Test
  void anOrdinaryPassingStanzaIsNotACopy() {
    assertThat(Carbons.isCopy(TestXml.parse("<message xmlns='jabber:client'><body>b</body>"
        + "</message>"))).isFalse();
    assertThat(Optional.of(TestXml.parse(SENT)).map(Carbons::isCopy)).contains(false);
  }

  @Test
  void enableAdvertisesTheFeatureOnTheServerAndDisableNothingMore() {
    var enable = CarbonsHandler.enable(new dev.tern.edge.session.LocalSessions()).registration();
    var disable = CarbonsHandler.disable(new dev.tern.edge.session.LocalSessions()).registration();

    assertThat(enable.element()).isEqualTo("enable");
    assertThat(enable.types()).containsExactly("set");
    assertThat(enable.addressing()).isEqualTo(dev.tern.edge.iq.IqRegistration.Addressing.SERVER);
    assertThat(enable.features()).containsExactly("urn:xmpp:carbons:2");
    assertThat(disable.element()).isEqualTo("disable");
    assertThat(disable.features()).isEmpty();
  }
}

package dev.tern.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XmlTest {

  @Test
  void aStanzaReadBackIsTheStanzaThatWasStored() {
    // RFC 6120 §9.1.3's message, with characters that need escaping and a foreign attribute
    XmlElement message = XmlElement.builder("message", "jabber:client")
        .attribute("from", "juliet@im.example.com/balcony").attribute("id", "ju2ba41c")
        .attribute("to", "romeo@example.net").attribute("type", "chat")
        .attribute("xml:lang", "en").attribute("{urn:example:x}hint", "a'b\"c")
        .child(XmlElement.builder("body", "jabber:client")
            .text("Art thou not Romeo, and a Montague? <3 & ☺ 🌹").build())
        .child(XmlElement.builder("origin-id", "urn:xmpp:sid:0").attribute("id", "o1").build())
        .build();

    String stored = Xml.serialize(message);

    assertThat(stored).startsWith("<message xmlns='jabber:client' ");
    assertThat(Xml.parse(stored)).isEqualTo(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plain", "<a>é</a>", "<b>☺</b>", "🌹🌹", "\uD83C"})
  void utf8LengthIsTheLengthOfTheEncodedBytes(String s) {
    assertThat(Xml.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "text", "<a>", "<a/><b/>", "<a xmlns:p='x'><p:b></a>"})
  void whatIsNotOneElementIsRefused(String xml) {
    assertThatThrownBy(() -> Xml.parse(xml)).isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.tern.edge.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.xmpp.xml.StreamEvent;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlLimits;
import dev.tern.xmpp.xml.XmlNamespaces;
import dev.tern.xmpp.xml.XmlWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XmlWriterTest {

  private static final String HEADER = "<stream:stream xmlns='jabber:client'"
      + " xmlns:stream='http://etherx.jabber.org/streams'>";

  /** Parses one standalone element, as a WebSocket frame. */
  static XmlElement parse(String xml) {
    Recorder recorder = Recorder.frameDecoder(XmlLimits.DEFAULTS).frame(xml);
    assertThat(recorder.errors()).isEmpty();
    return ((StreamEvent.Element) recorder.events().get(0)).element();
  }

  /** Parses first-level elements inside a client stream. */
  static List<XmlElement> parseInStream(String xml) {
    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS).write(HEADER + xml);
    assertThat(recorder.errors()).isEmpty();
    return recorder.events().stream().filter(StreamEvent.Element.class::isInstance)
        .map(e -> ((StreamEvent.Element) e).element()).toList();
  }

  @Test
  void aStanzaInsideAClientStreamIsWrittenWithoutXmlns() {
    XmlElement message = XmlElement.builder("message", "jabber:client")
        .attribute("to", "romeo@example.net").attribute("type", "chat")
        .child(XmlElement.builder("body", "jabber:client").text("Wherefore art thou?").build())
        .build();

    assertThat(XmlWriter.toXml(message, "jabber:client")).isEqualTo(
        "<message to='romeo@example.net' type='chat'><body>Wherefore art thou?</body></message>");
  }

  @Test
  void xmlnsIsWrittenOnlyWhereTheNamespaceChanges() {
    XmlElement iq = XmlElement.builder("iq", "jabber:client").attribute("type", "set")
        .child(XmlElement.builder("bind", "urn:ietf:params:xml:ns:xmpp-bind")
            .child(XmlElement.builder("resource", "urn:ietf:params:xml:ns:xmpp-bind")
                .text("balcony").build())
            .build())
        .child(XmlElement.builder("none", "").build())
        .build();

    assertThat(XmlWriter.toXml(iq, "jabber:client")).isEqualTo("<iq type='set'>"
        + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>balcony</resource></bind>"
        + "<none xmlns=''/></iq>");
    assertThat(XmlWriter.toXml(iq, "")).startsWith("<iq xmlns='jabber:client' type='set'>");
  }

  @Test
  void streamNamespaceElementsUseTheStreamPrefixDeclaredOnlyWhenStandalone() {
    XmlElement features = XmlElement.builder("features", XmlNamespaces.STREAMS)
        .child(XmlElement.builder("bind", "urn:ietf:params:xml:ns:xmpp-bind").build())
        .build();

    assertThat(XmlWriter.toXml(features, "jabber:client")).isEqualTo(
        "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");
    assertThat(XmlWriter.toXml(features, "")).isEqualTo(
        "<stream:features xmlns:stream='http://etherx.jabber.org/streams'>"
            + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");
  }

  @Test
  void textEscapesLessThanGreaterThanAndAmpersandOnly() {
    XmlElement body = XmlElement.builder("body", "jabber:client")
        .text("if a < b && c > d then \"yes\" 'no'").build();

    assertThat(XmlWriter.toXml(body, "jabber:client"))
        .isEqualTo("<body>if a &lt; b &amp;&amp; c &gt; d then \"yes\" 'no'</body>");
  }

  @Test
  void attributesEscapeBothQuotesAndMarkup() {
    XmlElement item = XmlElement.builder("item", "jabber:iq:roster")
        .attribute("name", "<Juliet> & \"Romeo\" 'Montague'").build();

    assertThat(XmlWriter.toXml(item, "jabber:iq:roster"))
        .isEqualTo("<item name='&lt;Juliet&gt; &amp; &quot;Romeo&quot; &apos;Montague&apos;'/>");
  }

  @Test
  void namespacedAttributesGetAPrefixDeclaredOnTheirElement() {
    XmlElement message = XmlElement.builder("message", "jabber:client")
        .attribute("xml:lang", "en").attribute("{urn:example:x}a", "1")
        .attribute("{urn:example:x}b", "2").attribute("{urn:example:y}c", "3").build();

    assertThat(XmlWriter.toXml(message, "jabber:client")).isEqualTo("<message xml:lang='en'"
        + " xmlns:ns0='urn:example:x' ns0:a='1' ns0:b='2' xmlns:ns1='urn:example:y' ns1:c='3'/>");
  }

  @Test
  void writingAndParsingAgainGivesEqualElements() {
    List<String> stanzas = List.of(
        "<message from='juliet@im.example.com/balcony' id='ju2ba41c' to='romeo@example.net'"
            + " type='chat' xml:lang='en'><body>Art thou not Romeo, and a Montague?</body>"
            + "<thread>e0ffe42b28561960c6b12b944a092794b9683a38</thread></message>",
        "<iq id='rr82a1z7' to='juliet@im.example.com/balcony' type='result'>"
            + "<query xmlns='jabber:iq:roster' ver='ver9'><item jid='nurse@example.com'"
            + " name='Nurse &amp; &quot;friend&quot;' subscription='both'>"
            + "<group>Servants</group></item></query></iq>",
        "<presence><show>away</show><status>a&lt;b&gt;c &#x1F600; &#13; tab\there</status>"
            + "<x xmlns='urn:example' xmlns:p='urn:example:p' p:attr='line&#10;feed&#9;tab'>"
            + "<p:y><![CDATA[<not> a tag & ]]></p:y><none xmlns=''/></x></presence>",
        "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>"
            + "</starttls></stream:features>");
    for (String stanza : stanzas) {
      XmlElement parsed = parseInStream(stanza).get(0);

      String inStream = XmlWriter.toXml(parsed, "jabber:client");
      String standalone = XmlWriter.toXml(parsed, "");

      assertThat(parseInStream(inStream)).containsExactly(parsed);
      assertThat(parse(standalone)).isEqualTo(parsed);
      assertThat(parsed.toString()).isEqualTo(standalone);
    }
  }

  @Test
  void carriageReturnsAndTabsSurviveARoundTrip() {
    XmlElement element = XmlElement.builder("x", "urn:example")
        .attribute("a", "line\r\nfeed\ttab").text("line\r\nfeed\ttab").build();

    assertThat(parse(XmlWriter.toXml(element, ""))).isEqualTo(element);
  }

  @Test
  void theStreamHeaderIsThatOfRfc6120Section4Point7() {
    assertThat(XmlWriter.streamHeader(Map.of("from", "im.example.com",
        "id", "++TR84Sm6A3hnt3Q065SnAbbk3Y=", "to", "juliet@im.example.com", "version", "1.0",
        "xml:lang", "en"), "jabber:client")).isEqualTo("<?xml version='1.0'?><stream:stream"
        + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
        + " from='im.example.com' id='++TR84Sm6A3hnt3Q065SnAbbk3Y=' to='juliet@im.example.com'"
        + " version='1.0' xml:lang='en'>");
  }

  @Test
  void aWrittenHeaderIsDecodedIntoTheSameAttributes() {
    Map<String, String> attributes = Map.of("from", "im.example.com", "id", "a'b\"c",
        "version", "1.0", "xml:lang", "en");

    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS)
        .write(XmlWriter.streamHeader(attributes, "jabber:server") + XmlWriter.streamClose());

    assertThat(recorder.seen).containsExactly(
        new StreamEvent.Open(attributes, "jabber:server"), new StreamEvent.Close());
  }

  @Test
  void theStreamCloseIsTheEndTagOfTheRoot() {
    assertThat(XmlWriter.streamClose()).isEqualTo("</stream:stream>");
  }
}

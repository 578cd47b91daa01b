package dev.tern.edge.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XmlWriterTest {

  @Test
  void stanzasInheritTheStreamNamespaceAndChildrenDeclareTheirOwn() {
    XmlElement iq = XmlElement.builder("iq", "jabber:client").attribute("type", "result")
        .attribute("id", "p1").child(XmlElement.builder("ping", "urn:xmpp:ping").build()).build();

    assertThat(XmlWriter.toXml(iq, "jabber:client"))
        .isEqualTo("<iq type='result' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
    assertThat(XmlWriter.toXml(iq, ""))
        .isEqualTo("<iq xmlns='jabber:client' type='result' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
  }

  @Test
  void textAndAttributesAreEscaped() {
    XmlElement e = XmlElement.builder("body", "jabber:client").attribute("a", "'<&>\"")
        .text("<b> & </b>").build();
    assertThat(XmlWriter.toXml(e, "jabber:client"))
        .isEqualTo("<body a='&apos;&lt;&amp;&gt;&quot;'>&lt;b&gt; &amp; &lt;/b&gt;</body>");
  }

  @Test
  void whatIsWrittenParsesBackToTheSameElement() {
    XmlElement original = XmlElement.builder("message", "jabber:client")
        .attribute("to", "romeo@example.net").attribute("xml:lang", "en")
        .child(XmlElement.builder("body", "jabber:client").text("x < y & 'z' ☺").build())
        .child(XmlElement.builder("origin-id", "urn:xmpp:sid:0").attribute("id", "o1").build())
        .build();
    String stream = XmppStreamDecoderTest.HEADER + XmlWriter.toXml(original, "jabber:client");

    var r = XmppStreamDecoderTest.decode(stream);

    assertThat(((StreamEvent.Element) r.events.get(1)).element()).isEqualTo(original);
  }

  @Test
  void streamErrorsUseTheStreamPrefixAndTheStreamsNamespace() {
    String xml = XmlWriter.toXml(StreamErrorCondition.POLICY_VIOLATION.toElement("too big"), "jabber:client");
    assertThat(xml).isEqualTo("<stream:error xmlns:stream='http://etherx.jabber.org/streams'>"
        + "<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
        + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams' xml:lang='en'>too big</text></stream:error>");
    assertThat(xml.getBytes(StandardCharsets.UTF_8)).isNotEmpty();
  }

  @Test
  void anErrorReplySwapsAddressesKeepsTheIdAndCarriesTheDefaultType() {
    XmlElement iq = XmlElement.builder("iq", "jabber:client").attribute("from", "a@x/r")
        .attribute("to", "x").attribute("id", "7").attribute("type", "get")
        .child(XmlElement.builder("query", "urn:unknown").build()).build();

    XmlElement reply = StanzaErrorCondition.errorReply(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE, "");

    assertThat(reply.attributes()).containsEntry("to", "a@x/r").containsEntry("from", "x")
        .containsEntry("id", "7").containsEntry("type", "error");
    XmlElement error = reply.child("error", "jabber:client").orElseThrow();
    assertThat(error.attribute("type")).contains("cancel");
    assertThat(error.child("service-unavailable", StanzaErrorCondition.NAMESPACE)).isPresent();
  }
}

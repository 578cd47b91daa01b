package dev.tern.edge.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.StreamEvent;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlLimits;
import dev.tern.xmpp.xml.XmlNamespaces;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XmppFrameDecoderTest {

  private final Recorder recorder = Recorder.frameDecoder(XmlLimits.DEFAULTS);

  @Test
  void theOpenFrameOfRfc7395BecomesAnOpenInTheClientNamespace() {
    recorder.frame("<open xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\"\n"
        + "             to=\"example.com\"\n             version=\"1.0\" />");

    assertThat(recorder.seen).containsExactly(new StreamEvent.Open(
        Map.of("to", "example.com", "version", "1.0"), "jabber:client"));
  }

  @Test
  void theCloseFrameOfRfc7395BecomesAClose() {
    recorder.frame("<close xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\" />");

    assertThat(recorder.seen).containsExactly(new StreamEvent.Close());
  }

  @Test
  void aMessageFrameBecomesAnElementWithItsSize() {
    String frame = "<message xmlns=\"jabber:client\" xml:lang=\"en\">"
        + "<body>Every WebSocket frame contains a parsable XML document. 😀</body></message>";

    recorder.frame(frame);

    assertThat(recorder.seen).containsExactly(new StreamEvent.Element(
        XmlElement.builder("message", "jabber:client").attribute("xml:lang", "en")
            .child(XmlElement.builder("body", "jabber:client")
                .text("Every WebSocket frame contains a parsable XML document. 😀").build())
            .build(),
        XmppStreamDecoderTest.utf8(frame)));
  }

  @Test
  void aWholeSessionOfFramesDecodesInOrder() {
    recorder
        .frame("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='example.com' version='1.0'/>")
        .frame("<?xml version='1.0'?> <auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'"
            + " mechanism='PLAIN'>AGp1bGlldABy</auth>\n")
        .frame("<stream:features xmlns:stream='http://etherx.jabber.org/streams'>"
            + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>")
        .frame("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'"
            + " see-other-uri='wss://otherendpoint.example/xmpp-bind'/>");

    assertThat(recorder.errors()).isEmpty();
    assertThat(recorder.events()).hasSize(4);
    assertThat(recorder.events().get(1)).isInstanceOfSatisfying(StreamEvent.Element.class,
        e -> assertThat(e.element().text()).isEqualTo("AGp1bGlldABy"));
    assertThat(recorder.events().get(2)).isInstanceOfSatisfying(StreamEvent.Element.class,
        e -> assertThat(e.element()).isEqualTo(XmlElement.builder("features", XmlNamespaces.STREAMS)
            .child(XmlElement.builder("bind", "urn:ietf:params:xml:ns:xmpp-bind").build())
            .build()));
    assertThat(recorder.events().get(3)).isEqualTo(new StreamEvent.Close());
  }

  @Test
  void twoElementsInOneFrameAreNotWellFormed() {
    recorder.frame("<message xmlns='jabber:client'/><presence xmlns='jabber:client'/>");

    assertThat(recorder.error().condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
    assertThat(recorder.events()).isEmpty();
  }

  @Test
  void textAfterTheElementIsNotWellFormed() {
    recorder.frame("<message xmlns='jabber:client'/>trailing");

    assertThat(recorder.error().condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
  }

  @Test
  void anUnfinishedElementIsNotWellFormed() {
    recorder.frame("<message xmlns='jabber:client'><body>hi</body>");

    assertThat(recorder.error().condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
  }

  @Test
  void aMismatchedCloseTagAtTheEndOfTheFrameIsNotWellFormed() {
    recorder.frame("<message xmlns='jabber:client'></presence>");

    assertThat(recorder.error().condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
  }

  @Test
  void anEmptyFrameIsNotWellFormed() {
    recorder.frame("");

    assertThat(recorder.error().condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
  }

  @Test
  void anElementThatDeclaresNoNamespaceIsAnInvalidNamespace() {
    recorder.frame("<message to='romeo@example.net'><body>hi</body></message>");

    assertThat(recorder.error().condition()).isEqualTo(StreamErrorCondition.INVALID_NAMESPACE);
  }

  @Test
  void aStreamHeaderInAFrameIsNotWellFormedSinceItNeverCloses() {
    recorder.frame("<stream:stream xmlns='jabber:client'"
        + " xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>");

    assertThat(recorder.error().condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
  }

  @Test
  void aCommentIsRestrictedXml() {
    recorder.frame("<message xmlns='jabber:client'><!-- hi --></message>");

    assertThat(recorder.error().condition()).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
  }

  @Test
  void aDoctypeIsRestrictedXml() {
    recorder.frame("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
        + "<message xmlns='jabber:client'>&e;</message>");

    assertThat(recorder.error().condition()).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
  }

  @Test
  void anUndefinedEntityIsRestrictedXml() {
    recorder.frame("<message xmlns='jabber:client'>&foo;</message>");

    assertThat(recorder.error().condition()).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
  }

  @Test
  void anUndeclaredPrefixIsABadNamespacePrefix() {
    recorder.frame("<foo:message xmlns='jabber:client'/>");

    assertThat(recorder.error().condition()).isEqualTo(StreamErrorCondition.BAD_NAMESPACE_PREFIX);
  }

  @Test
  void aFrameLargerThanTheStanzaLimitIsAPolicyViolation() {
    Recorder small = Recorder.frameDecoder(new XmlLimits(100, 8, 8, 50));

    small.frame("<message xmlns='jabber:client'><body>" + "é".repeat(40) + "</body></message>");

    assertThat(small.error().condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
  }

  @Test
  void elementsNestedBeyondTheLimitAreAPolicyViolation() {
    recorder.frame("<a xmlns='urn:x'>" + "<a>".repeat(100) + "</a>".repeat(101));

    assertThat(recorder.error().condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
  }

  @Test
  void afterAnErrorLaterFramesAreDiscarded() {
    recorder.frame("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='example.com'/>")
        .frame("<message xmlns='jabber:client'><body>")
        .frame("</body></message>")
        .frame("<presence xmlns='jabber:client'/>")
        .frame("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");

    assertThat(recorder.seen).hasSize(2);
    assertThat(recorder.seen.get(0)).isInstanceOf(StreamEvent.Open.class);
    assertThat(recorder.error().condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
  }
}

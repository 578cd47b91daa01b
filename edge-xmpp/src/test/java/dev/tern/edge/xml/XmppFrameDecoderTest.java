package dev.tern.edge.xml;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class XmppFrameDecoderTest {

  private static XmppStreamDecoderTest.Recorder decode(String... frames) {
    XmppStreamDecoderTest.Recorder r = new XmppStreamDecoderTest.Recorder();
    EmbeddedChannel ch = new EmbeddedChannel(new XmppFrameDecoder(XmlLimits.DEFAULTS), r);
    for (String f : frames) {
      ch.writeInbound(f);
    }
    return r;
  }

  @Test
  void theExamplesOfRfc7395Decode() {
    var r = decode(
        "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='example.com' version='1.0'/>",
        "<message xmlns='jabber:client' to='romeo@example.net'><body>hi</body></message>",
        "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");

    assertThat(r.errors).isEmpty();
    assertThat(r.events).hasSize(3);
    assertThat(((StreamEvent.Open) r.events.get(0)).attributes()).containsEntry("to", "example.com");
    assertThat(((StreamEvent.Element) r.events.get(1)).element().namespace()).isEqualTo("jabber:client");
    assertThat(r.events.get(2)).isInstanceOf(StreamEvent.Close.class);
  }

  @Test
  void twoElementsInOneMessageAreNotWellFormed() {
    var r = decode("<message xmlns='jabber:client'/><message xmlns='jabber:client'/>");
    assertThat(r.errors).singleElement().extracting(StreamErrorException::condition)
        .isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
  }

  @Test
  void anElementWithoutItsNamespaceIsInvalidNamespace() {
    var r = decode("<message to='romeo@example.net'/>");
    assertThat(r.errors).singleElement().extracting(StreamErrorException::condition)
        .isEqualTo(StreamErrorCondition.INVALID_NAMESPACE);
  }

  @Test
  void aDoctypeInAMessageIsRestrictedXml() {
    var r = decode("<!DOCTYPE x [<!ENTITY e 'y'>]><message xmlns='jabber:client'>&e;</message>");
    assertThat(r.errors).singleElement().extracting(StreamErrorException::condition)
        .isEqualTo(StreamErrorCondition.RESTRICTED_XML);
  }
}

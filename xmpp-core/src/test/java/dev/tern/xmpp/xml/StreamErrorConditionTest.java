package dev.tern.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StreamErrorConditionTest {

  @Test
  void allTwentyFiveConditionsOfRfc6120Section4Point9Point3AreDefined() {
    assertThat(Arrays.stream(StreamErrorCondition.values()).map(StreamErrorCondition::elementName))
        .containsExactly("bad-format", "bad-namespace-prefix", "conflict", "connection-timeout",
            "host-gone", "host-unknown", "improper-addressing", "internal-server-error",
            "invalid-from", "invalid-namespace", "invalid-xml", "not-authorized",
            "not-well-formed", "policy-violation", "remote-connection-failed", "reset",
            "resource-constraint", "restricted-xml", "see-other-host", "system-shutdown",
            "undefined-condition", "unsupported-encoding", "unsupported-feature",
            "unsupported-stanza-type", "unsupported-version");
  }

  @Test
  void everyConditionIsFoundByItsElementNameAndNoOtherNameIs() {
    for (StreamErrorCondition condition : StreamErrorCondition.values()) {
      assertThat(StreamErrorCondition.fromElementName(condition.elementName())).contains(condition);
    }
    assertThat(StreamErrorCondition.fromElementName("NOT-WELL-FORMED")).isEmpty();
    assertThat(StreamErrorCondition.fromElementName("xml-not-well-formed")).isEmpty();
  }

  @Test
  void theStreamErrorIsWrittenAsInRfc6120Section4Point9Point2() {
    assertThat(XmlWriter.toXml(StreamErrorCondition.NOT_WELL_FORMED.toElement(null),
        "jabber:client")).isEqualTo("<stream:error>"
        + "<not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
    assertThat(XmlWriter.toXml(StreamErrorCondition.HOST_UNKNOWN.toElement(""),
        "jabber:client")).isEqualTo("<stream:error>"
        + "<host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
  }

  @Test
  void aDescriptionGoesIntoATextChild() {
    XmlElement error = StreamErrorCondition.POLICY_VIOLATION.toElement("too big");

    assertThat(error.name()).isEqualTo("error");
    assertThat(error.namespace()).isEqualTo(XmlNamespaces.STREAMS);
    assertThat(error.child("text", XmlNamespaces.STREAM_ERRORS).map(XmlElement::text))
        .contains("too big");
    assertThat(XmlWriter.toXml(error, "")).isEqualTo(
        "<stream:error xmlns:stream='http://etherx.jabber.org/streams'>"
            + "<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
            + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>too big</text></stream:error>");
  }

  @Test
  void theExceptionCarriesItsConditionAndText() {
    StreamErrorException e =
        new StreamErrorException(StreamErrorCondition.RESTRICTED_XML, "a comment");

    assertThat(e.condition()).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
    assertThat(e.text()).isEqualTo("a comment");
    assertThat(e).hasMessage("restricted-xml: a comment");
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(e.toElement()).isEqualTo(StreamErrorCondition.RESTRICTED_XML.toElement("a comment"));
  }
}

package dev.tern.xmpp.xml;

import static dev.tern.xmpp.xml.StanzaErrorType.AUTH;
import static dev.tern.xmpp.xml.StanzaErrorType.CANCEL;
import static dev.tern.xmpp.xml.StanzaErrorType.MODIFY;
import static dev.tern.xmpp.xml.StanzaErrorType.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StanzaErrorConditionTest {

  @Test
  void allConditionsOfRfc6120Section8Point3Point3HaveTheTypeItGives() {
    Map<String, StanzaErrorType> table = new LinkedHashMap<>();
    table.put("bad-request", MODIFY);
    table.put("conflict", CANCEL);
    table.put("feature-not-implemented", CANCEL);
    table.put("forbidden", AUTH);
    table.put("gone", CANCEL);
    table.put("internal-server-error", CANCEL);
    table.put("item-not-found", CANCEL);
    table.put("jid-malformed", MODIFY);
    table.put("not-acceptable", MODIFY);
    table.put("not-allowed", CANCEL);
    table.put("not-authorized", AUTH);
    table.put("policy-violation", MODIFY);
    table.put("recipient-unavailable", WAIT);
    table.put("redirect", MODIFY);
    table.put("registration-required", AUTH);
    table.put("remote-server-not-found", CANCEL);
    table.put("remote-server-timeout", WAIT);
    table.put("resource-constraint", WAIT);
    table.put("service-unavailable", CANCEL);
    table.put("subscription-required", AUTH);
    table.put("undefined-condition", MODIFY);
    table.put("unexpected-request", WAIT);

    Map<String, StanzaErrorType> defined = Arrays.stream(StanzaErrorCondition.values())
        .collect(Collectors.toMap(StanzaErrorCondition::elementName,
            StanzaErrorCondition::defaultType, (a, b) -> a, LinkedHashMap::new));

    assertThat(defined).containsExactlyEntriesOf(table);
    for (StanzaErrorCondition condition : StanzaErrorCondition.values()) {
      assertThat(StanzaErrorCondition.fromElementName(condition.elementName())).contains(condition);
    }
    assertThat(StanzaErrorCondition.fromElementName("not-well-formed")).isEmpty();
  }

  @Test
  void errorTypesHaveLowercaseWireNames() {
    assertThat(Arrays.stream(StanzaErrorType.values()).map(StanzaErrorType::wireName))
        .containsExactly("auth", "cancel", "continue", "modify", "wait");
    assertThat(StanzaErrorType.fromWireName("continue")).contains(StanzaErrorType.CONTINUE);
    assertThat(StanzaErrorType.fromWireName("CANCEL")).isEmpty();
  }

  @Test
  void theErrorElementCarriesTypeByConditionAndText() {
    XmlElement error = StanzaErrorCondition.SERVICE_UNAVAILABLE
        .toErrorElement("im.example.com", "no such service");

    assertThat(XmlWriter.toXml(error, "jabber:client")).isEqualTo(
        "<error type='cancel' by='im.example.com'>"
            + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            + "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>no such service</text></error>");
    assertThat(XmlWriter.toXml(StanzaErrorCondition.BAD_REQUEST.toErrorElement(null, null),
        "jabber:client")).isEqualTo("<error type='modify'>"
        + "<bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>");
  }

  @Test
  void anIqErrorReplySwapsAddressesKeepsIdAndCarriesOnlyTheError() {
    // RFC 6120 §8.3.1 and §8.3.3.19: a roster request to a service that does not offer it; the
    // copy of the request is optional, and left out as Prosody does (a payload that was the
    // error, e.g. a malformed JID, would break the client parsing it back).
    XmlElement request = Xml.parse("<iq xmlns='jabber:client' from='romeo@example.net/home'"
        + " id='ix61z5' to='juliet@im.example.com' type='get'>"
        + "<query xmlns='jabber:iq:roster'/></iq>");

    XmlElement reply = StanzaErrorCondition.errorReply(
        request, StanzaErrorCondition.SERVICE_UNAVAILABLE, null);

    assertThat(reply).isEqualTo(Xml.parse("<iq xmlns='jabber:client' from='juliet@im.example.com'"
        + " id='ix61z5' to='romeo@example.net/home' type='error'>"
        + "<error type='cancel'>"
        + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
        + "</error></iq>"));
  }

  @Test
  void anErrorReplyToAStanzaWithoutAddressesHasNone() {
    XmlElement message = XmlElement.builder("message", "jabber:server")
        .child(XmlElement.builder("body", "jabber:server").text("hi").build()).build();

    XmlElement reply = StanzaErrorCondition.errorReply(
        message, StanzaErrorCondition.POLICY_VIOLATION, "too many messages");

    assertThat(reply.attributes()).containsOnlyKeys("type");
    assertThat(reply.elements()).hasSize(2);
    XmlElement error = reply.elements().get(1);
    assertThat(error.namespace()).isEqualTo("jabber:server");
    assertThat(error.attribute("type")).contains("modify");
    assertThat(error.child("text", XmlNamespaces.STANZA_ERRORS).map(XmlElement::text))
        .contains("too many messages");
  }

  @Test
  void anErrorIsNeverAnsweredWithAnotherError() {
    XmlElement error = XmlElement.builder("message", "jabber:client")
        .attribute("type", "error").build();

    assertThatThrownBy(() -> StanzaErrorCondition.errorReply(
        error, StanzaErrorCondition.BAD_REQUEST, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.tern.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.storage.receipts.ReceiptState;
import dev.tern.xmpp.xml.Xml;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageFactsTest {

  // ---- reading a stanza ----

  @Test
  void aDeliveryReceiptNamesTheMessageItAcknowledges() {
    // XEP-0184 §4, Example 4
    MessageFacts facts = MessageFacts.parse("<message xmlns='jabber:client'"
        + " from='kingrichard@royalty.england.lit/throne' id='bi29sg183b4v'"
        + " to='northumberland@shakespeare.lit/westminster'>"
        + "<received xmlns='urn:xmpp:receipts' id='richard2-4.1.247'/></message>");

    assertThat(facts.clientId()).contains("bi29sg183b4v");
    assertThat(facts.acks()).containsExactly(
        new MessageFacts.Ack(ReceiptState.DELIVERED, "richard2-4.1.247"));
  }

  @Test
  void chatMarkersReportReceivedDisplayedAndAcknowledged() {
    // XEP-0333 §3, Examples 2 to 4
    MessageFacts facts = MessageFacts.parse("<message xmlns='jabber:client' type='chat'"
        + " to='northumberland@shakespeare.lit/westminster' id='message-2'>"
        + "<received xmlns='urn:xmpp:chat-markers:0' id='message-1'/>"
        + "<displayed xmlns='urn:xmpp:chat-markers:0' id='message-1'/>"
        + "<acknowledged xmlns='urn:xmpp:chat-markers:0' id='message-0'/>"
        + "<markable xmlns='urn:xmpp:chat-markers:0'/></message>");

    assertThat(facts.acks()).containsExactly(
        new MessageFacts.Ack(ReceiptState.DELIVERED, "message-1"),
        new MessageFacts.Ack(ReceiptState.DISPLAYED, "message-1"),
        new MessageFacts.Ack(ReceiptState.ACKNOWLEDGED, "message-0"));
  }

  @Test
  void aReceiptRequestOrAnOrdinaryMessageAcknowledgesNothing() {
    MessageFacts facts = MessageFacts.parse("<message xmlns='jabber:client' id='m1' type='chat'>"
        + "<body>My lord, dispatch; read o'er these articles.</body>"
        + "<request xmlns='urn:xmpp:receipts'/></message>");

    assertThat(facts.clientId()).contains("m1");
    assertThat(facts.acks()).isEmpty();
  }

  @Test
  void aReceiptOnlyCountsAsADirectChildOfTheMessage() {
    MessageFacts facts = MessageFacts.parse("<message xmlns='jabber:client' type='chat'>"
        + "<x xmlns='urn:example'><received xmlns='urn:xmpp:receipts' id='inner'/></x></message>");

    assertThat(facts).isEqualTo(MessageFacts.NONE);
  }

  @Test
  void aReceiptWithoutAnIdNamesNothingAndAnEmptyIdIsNoId() {
    assertThat(MessageFacts.parse("<message xmlns='jabber:client' id=''>"
        + "<received xmlns='urn:xmpp:receipts'/></message>")).isEqualTo(MessageFacts.NONE);
  }

  @Test
  void somethingThatDoesNotParseReadsAsNothing() {
    assertThat(MessageFacts.parse("<message xmlns='jabber:client'><received"))
        .isEqualTo(MessageFacts.NONE);
    assertThat(MessageFacts.parse("<!DOCTYPE m [<!ENTITY x 'y'>]><message id='&x;'/>"))
        .isEqualTo(MessageFacts.NONE);
  }

  @Test
  void readingTheParsedElementGivesWhatParsingTheXmlGives() {
    String xml = "<message xmlns='jabber:client' id='m2'>"
        + "<displayed xmlns='urn:xmpp:chat-markers:0' id='m1'/></message>";

    assertThat(MessageFacts.of(Xml.parse(xml))).isEqualTo(MessageFacts.parse(xml));
  }

  // ---- headers ----

  @Test
  void anEdgesRequestStatesTheWireVersionTheIdAndEachAck() {
    MessageFacts facts = new MessageFacts(Optional.of("m2"), List.of(
        new MessageFacts.Ack(ReceiptState.DELIVERED, "m1"),
        new MessageFacts.Ack(ReceiptState.DISPLAYED, "m1")));

    NatsMessage m = MessageWire.sendRequest("region-a", "alice@localhost/phone", "bob@localhost",
        Optional.of("o2"), facts, "<message/>");

    assertThat(m.getSubject()).isEqualTo(MessageWire.send("region-a"));
    Headers h = m.getHeaders();
    assertThat(h.getFirst(MessageWire.WIRE)).isEqualTo("1");
    assertThat(h.getFirst(MessageWire.FROM)).isEqualTo("alice@localhost/phone");
    assertThat(h.getFirst(MessageWire.TO)).isEqualTo("bob@localhost");
    assertThat(h.getFirst(MessageWire.ORIGIN_ID)).isEqualTo("o2");
    assertThat(h.getFirst(MessageWire.CLIENT_ID)).isEqualTo("m2");
    assertThat(h.get(MessageWire.ACKS)).containsExactly("delivered:m1", "displayed:m1");
    assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("<message/>");
    assertThat(MessageFacts.from(h)).contains(facts);
  }

  @Test
  void idsWithSpacesColonsPercentsAndNonAsciiCharactersRoundTripAsAsciiHeaderValues() {
    MessageFacts facts = new MessageFacts(Optional.of("id with spaces + 100% ✓"), List.of(
        new MessageFacts.Ack(ReceiptState.ACKNOWLEDGED, "a:b c\td"),
        new MessageFacts.Ack(ReceiptState.DELIVERED, "Ünïcödé\n")));

    Headers h = facts.addTo(new Headers().add(MessageWire.WIRE, MessageWire.WIRE_VERSION));

    assertThat(h.getFirst(MessageWire.CLIENT_ID)).matches("[\\x21-\\x7e]+");
    assertThat(h.get(MessageWire.ACKS)).allSatisfy(v -> assertThat(v).matches("[\\x21-\\x7e]+"));
    assertThat(MessageFacts.from(h)).contains(facts);
  }

  @Test
  void aMessageWithoutIdOrAcksStatesOnlyTheWireVersionAndReadsAsNone() {
    NatsMessage m = MessageWire.sendRequest("region-a", "alice@localhost/phone", "bob@localhost",
        Optional.empty(), MessageFacts.NONE, "<message/>");

    assertThat(m.getHeaders().keySet()).containsExactlyInAnyOrder(
        MessageWire.WIRE, MessageWire.FROM, MessageWire.TO);
    assertThat(MessageFacts.from(m.getHeaders())).contains(MessageFacts.NONE);
  }

  @Test
  void aRequestOfAnOlderEdgeStatesNoFactsSoTheStanzaMustBeRead() {
    Headers older = new Headers().add(MessageWire.FROM, "alice@localhost/phone")
        .add(MessageWire.TO, "bob@localhost").add(MessageWire.CLIENT_ID, "ignored");

    assertThat(MessageFacts.from(older)).isEmpty();
    assertThat(MessageFacts.from(null)).isEmpty();
  }

  @Test
  void aNewerSendersHeadersAndAcksThisSideDoesNotKnowAreIgnored() {
    Headers newer = new Headers().add(MessageWire.WIRE, "2")
        .add("Tern-Something-New", "x")
        .add(MessageWire.ACKS, "delivered:m1", "retracted:m0", "no-colon", "displayed:%zz",
            "sent:m1", "displayed:");

    assertThat(MessageFacts.from(newer)).contains(new MessageFacts(Optional.empty(),
        List.of(new MessageFacts.Ack(ReceiptState.DELIVERED, "m1"))));
  }
}

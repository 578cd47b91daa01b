package dev.tern.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.storage.receipts.ReceiptState;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StanzaAcksTest {

  @Test
  void aDeliveryReceiptNamesTheMessageItAcknowledges() {
    // XEP-0184 §4, Example 4
    StanzaAcks.Read read = StanzaAcks.read("<message xmlns='jabber:client'"
        + " from='kingrichard@royalty.england.lit/throne' id='bi29sg183b4v'"
        + " to='northumberland@shakespeare.lit/westminster'>"
        + "<received xmlns='urn:xmpp:receipts' id='richard2-4.1.247'/></message>");

    assertThat(read.clientId()).contains("bi29sg183b4v");
    assertThat(read.acks()).containsExactly(
        new StanzaAcks.Ack(ReceiptState.DELIVERED, "richard2-4.1.247"));
  }

  @Test
  void chatMarkersReportReceivedDisplayedAndAcknowledged() {
    // XEP-0333 §3, Examples 2 to 4
    StanzaAcks.Read read = StanzaAcks.read("<message xmlns='jabber:client' type='chat'"
        + " to='northumberland@shakespeare.lit/westminster' id='message-2'>"
        + "<received xmlns='urn:xmpp:chat-markers:0' id='message-1'/>"
        + "<displayed xmlns='urn:xmpp:chat-markers:0' id='message-1'/>"
        + "<acknowledged xmlns='urn:xmpp:chat-markers:0' id='message-0'/>"
        + "<markable xmlns='urn:xmpp:chat-markers:0'/></message>");

    assertThat(read.acks()).containsExactly(
        new StanzaAcks.Ack(ReceiptState.DELIVERED, "message-1"),
        new StanzaAcks.Ack(ReceiptState.DISPLAYED, "message-1"),
        new StanzaAcks.Ack(ReceiptState.ACKNOWLEDGED, "message-0"));
  }

  @Test
  void aReceiptRequestOrAnOrdinaryMessageAcknowledgesNothing() {
    StanzaAcks.Read read = StanzaAcks.read("<message xmlns='jabber:client' id='m1' type='chat'>"
        + "<body>My lord, dispatch; read o'er these articles.</body>"
        + "<request xmlns='urn:xmpp:receipts'/></message>");

    assertThat(read.clientId()).contains("m1");
    assertThat(read.acks()).isEmpty();
  }

  @Test
  void aReceiptOnlyCountsAsADirectChildOfTheMessage() {
    StanzaAcks.Read read = StanzaAcks.read("<message xmlns='jabber:client' type='chat'>"
        + "<x xmlns='urn:example'><received xmlns='urn:xmpp:receipts' id='inner'/></x></message>");

    assertThat(read.clientId()).isEmpty();
    assertThat(read.acks()).isEmpty();
  }

  @Test
  void aReceiptWithoutAnIdNamesNothing() {
    assertThat(StanzaAcks.read("<message xmlns='jabber:client'>"
        + "<received xmlns='urn:xmpp:receipts'/></message>").acks()).isEmpty();
  }

  @Test
  void somethingThatDoesNotParseReadsAsNothing() {
    assertThat(StanzaAcks.read("<message xmlns='jabber:client'><received"))
        .isEqualTo(new StanzaAcks.Read(Optional.empty(), java.util.List.of()));
    assertThat(StanzaAcks.read("<!DOCTYPE m [<!ENTITY x 'y'>]><message id='&x;'/>").clientId())
        .isEmpty();
  }
}

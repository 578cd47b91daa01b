package dev.tern.edge.chatstates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.edge.codec.TestXml;
import org.junit.jupiter.api.Test;

class ChatStatesTest {

  private static boolean isTransient(String xml) {
    return ChatStates.isTransient(TestXml.parse(xml));
  }

  @Test
  void aStandaloneNotificationIsTransient() {
    // XEP-0085 §5.2, Example 5
    assertThat(isTransient("<message xmlns='jabber:client' from='bernardo@shakespeare.lit/pda'"
        + " to='francisco@shakespeare.lit' type='chat'>"
        + "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>")).isTrue();
  }

  @Test
  void hintsOriginIdAndAThreadDoNotMakeItWorthKeeping() {
    assertThat(isTransient("<message xmlns='jabber:client' type='chat'><thread>t1</thread>"
        + "<paused xmlns='http://jabber.org/protocol/chatstates'/>"
        + "<no-store xmlns='urn:xmpp:hints'/><origin-id xmlns='urn:xmpp:sid:0' id='o1'/>"
        + "</message>")).isTrue();
  }

  @Test
  void aNotificationWithABodyIsAnOrdinaryMessage() {
    // XEP-0085 §5.1, Example 1: content with <active/>
    assertThat(isTransient("<message xmlns='jabber:client' type='chat'>"
        + "<body>Who's there?</body><active xmlns='http://jabber.org/protocol/chatstates'/>"
        + "</message>")).isFalse();
  }

  @Test
  void aNotificationAlongsideAReceiptOrSomethingUnknownIsKept() {
    assertThat(isTransient("<message xmlns='jabber:client'>"
        + "<active xmlns='http://jabber.org/protocol/chatstates'/>"
        + "<received xmlns='urn:xmpp:receipts' id='m1'/></message>")).isFalse();
    assertThat(isTransient("<message xmlns='jabber:client'>"
        + "<active xmlns='http://jabber.org/protocol/chatstates'/>"
        + "<encrypted xmlns='eu.siacs.conversations.axolotl'/></message>")).isFalse();
  }

  @Test
  void aMessageWithoutAChatStateIsNotANotification() {
    assertThat(isTransient("<message xmlns='jabber:client'/>")).isFalse();
    assertThat(isTransient("<message xmlns='jabber:client'>"
        + "<unknown xmlns='http://jabber.org/protocol/chatstates'/></message>")).isFalse();
  }
}

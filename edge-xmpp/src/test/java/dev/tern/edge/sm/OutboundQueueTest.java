package dev.tern.edge.sm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.xmpp.xml.XmlWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

  private static final long LAST = AckCounter.MODULUS - 1;

  private static String message(int n) {
    return "<message xmlns='jabber:client' id='m" + n + "'><body>" + n + "</body></message>";
  }

  private static OutboundQueue queueWith(int stanzas) throws OutboundQueueFullException {
    OutboundQueue q = new OutboundQueue(OutboundQueue.Limits.DEFAULTS);
    for (int n = 1; n <= stanzas; n++) {
      q.add(message(n));
    }
    return q;
  }

  @Test
  void eachStanzaAddedIsAcknowledgedByTheNextH() throws Exception {
    OutboundQueue q = new OutboundQueue(OutboundQueue.Limits.DEFAULTS);

    assertThat(q.add(message(1))).isEqualTo(1);
    assertThat(q.add(message(2))).isEqualTo(2);
    assertThat(q.sent()).isEqualTo(2);
    assertThat(q.acked()).isZero();
    assertThat(q.unacked()).containsExactly(message(1), message(2));
  }

  @Test
  void anAckDropsTheStanzasItAcknowledgesAndSaysHowMany() throws Exception {
    OutboundQueue q = queueWith(5);

    assertThat(q.ack(2)).isEqualTo(2);
    assertThat(q.ack(2)).isZero();
    assertThat(q.ack(5)).isEqualTo(3);

    assertThat(q.size()).isZero();
    assertThat(q.acked()).isEqualTo(5);
    assertThat(q.sent()).isEqualTo(5);
  }

  @Test
  void anHBehindTheLastOneChangesNothing() throws Exception {
    OutboundQueue q = queueWith(4);
    q.ack(3);

    assertThat(q.ack(1)).isZero();

    assertThat(q.acked()).isEqualTo(3);
    assertThat(q.unacked()).containsExactly(message(4));
  }

  @Test
  void anHThatAcknowledgesMoreThanWasSentIsRefusedWithBothCounts() throws Exception {
    OutboundQueue q = queueWith(8);

    assertThatThrownBy(() -> q.ack(10))
        .isInstanceOfSatisfying(HandledCountTooHighException.class, e -> {
          assertThat(e.h()).isEqualTo(10);
          assertThat(e.sendCount()).isEqualTo(8);
          // XEP-0198 §4, the example of a too high h
          assertThat(XmlWriter.toXml(e.streamError(), "jabber:client")).isEqualTo(
              "<stream:error>"
                  + "<undefined-condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                  + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>"
                  + "You acknowledged 10 stanzas, but I only sent you 8 so far.</text>"
                  + "<handled-count-too-high xmlns='urn:xmpp:sm:3' h='10' send-count='8'/>"
                  + "</stream:error>");
        });
    assertThat(q.size()).isEqualTo(8);
  }

  @Test
  void beforeAnythingIsSentOnlyZeroIsAValidH() throws Exception {
    OutboundQueue q = queueWith(0);

    assertThat(q.ack(0)).isZero();
    assertThatThrownBy(() -> q.ack(1)).isInstanceOf(HandledCountTooHighException.class);
    assertThatThrownBy(() -> q.ack(LAST)).isInstanceOf(HandledCountTooHighException.class);
  }

  @Test
  void acksCountAcrossTheWrapAt2To32() throws Exception {
    OutboundQueue q = OutboundQueue.resumed(OutboundQueue.Limits.DEFAULTS, LAST - 1, List.of());
    for (int n = 1; n <= 4; n++) {
      q.add(message(n));
    }
    assertThat(q.sent()).isEqualTo(2); // 2^32-2 + 4

    assertThat(q.ack(LAST)).isEqualTo(1);
    assertThat(q.ack(1)).isEqualTo(2);

    assertThat(q.unacked()).containsExactly(message(4));
    assertThatThrownBy(() -> q.ack(3))
        .isInstanceOfSatisfying(HandledCountTooHighException.class,
            e -> assertThat(e.sendCount()).isEqualTo(2));
    assertThat(q.ack(LAST)).as("already past").isZero();
  }

  @Test
  void theQueueRefusesTheStanzaBeyondItsCountLimitUntilAnAckMakesRoom() throws Exception {
    OutboundQueue q = new OutboundQueue(new OutboundQueue.Limits(2, 1024 * 1024));
    q.add(message(1));
    q.add(message(2));

    assertThatThrownBy(() -> q.add(message(3)))
        .isInstanceOf(OutboundQueueFullException.class)
        .hasMessageContaining("2 stanzas");
    assertThat(q.unacked()).containsExactly(message(1), message(2));

    q.ack(1);
    assertThat(q.add(message(3))).isEqualTo(3);
  }

  @Test
  void theQueueCountsUtf8BytesAndRefusesWhatWouldPassItsByteLimit() throws Exception {
    String heart = "<m>♥</m>"; // 3 bytes for the heart, 7 for the tags
    OutboundQueue q = new OutboundQueue(new OutboundQueue.Limits(100, 25));
    q.add(heart);
    q.add(heart);
    assertThat(q.bytes()).isEqualTo(20);

    assertThatThrownBy(() -> q.add(heart))
        .isInstanceOf(OutboundQueueFullException.class)
        .hasMessageContaining("25 bytes");

    q.ack(1);
    assertThat(q.bytes()).isEqualTo(10);
    q.add(heart);
    assertThat(q.bytes()).isEqualTo(20);
  }

  @Test
  void aResumedQueueKeepsStanzasBeyondNewLimitsButTakesNoMore() throws Exception {
    OutboundQueue q = OutboundQueue.resumed(new OutboundQueue.Limits(1, 1024), 7,
        List.of(message(8), message(9)));

    assertThat(q.sent()).isEqualTo(9);
    assertThatThrownBy(() -> q.add(message(10))).isInstanceOf(OutboundQueueFullException.class);
    assertThat(q.ack(9)).isEqualTo(2);
    assertThat(q.add(message(10))).isEqualTo(10);
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new OutboundQueue.Limits(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OutboundQueue.Limits(1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.tern.edge.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.edge.iq.IqError;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.edge.codec.TestXml;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.routing.ReceiptWire;
import dev.tern.storage.receipts.ReceiptState;
import dev.tern.storage.receipts.ReceiptStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiptStatusHandlerTest {

  private static List<ReceiptWire.Query> queries(String xml) {
    return ReceiptStatusHandler.queries(TestXml.parse(xml));
  }

  private static StanzaErrorCondition refusal(String xml) {
    try {
      queries(xml);
    } catch (IqError e) {
      return e.condition();
    }
    throw new AssertionError("accepted: " + xml);
  }

  @Test
  void aQueryNamesMessagesByPeerAndId() {
    assertThat(queries("<status xmlns='urn:tern:receipts:0'>"
        + "<message with='bob@localhost' id='m-1'/><message with='carol@localhost' id='m-2'/>"
        + "</status>")).containsExactly(new ReceiptWire.Query("bob@localhost", "m-1"),
            new ReceiptWire.Query("carol@localhost", "m-2"));
  }

  @Test
  void malformedQueriesAreRefusedWithTheirCondition() {
    assertThat(refusal("<status xmlns='urn:tern:receipts:0'/>"))
        .isEqualTo(StanzaErrorCondition.POLICY_VIOLATION);
    assertThat(refusal("<status xmlns='urn:tern:receipts:0'><message with='bob@localhost'/>"
        + "</status>")).isEqualTo(StanzaErrorCondition.BAD_REQUEST);
    assertThat(refusal("<status xmlns='urn:tern:receipts:0'>"
        + "<message with='bob@localhost/phone' id='x'/></status>"))
        .isEqualTo(StanzaErrorCondition.BAD_REQUEST);
    assertThat(refusal("<status xmlns='urn:tern:receipts:0'>"
        + "<message with='@@' id='x'/></status>")).isEqualTo(StanzaErrorCondition.JID_MALFORMED);
    assertThat(refusal("<status xmlns='urn:tern:receipts:0'><other id='x'/></status>"))
        .isEqualTo(StanzaErrorCondition.BAD_REQUEST);
    StringBuilder many = new StringBuilder("<status xmlns='urn:tern:receipts:0'>");
    for (int i = 0; i <= ReceiptWire.MAX_QUERY; i++) {
      many.append("<message with='bob@localhost' id='m").append(i).append("'/>");
    }
    assertThat(refusal(many.append("</status>").toString()))
        .isEqualTo(StanzaErrorCondition.POLICY_VIOLATION);
  }

  @Test
  void theAnswerGivesEachMessagesStateAndStampsInTheQuerysOrder() {
    Instant delivered = Instant.parse("2026-01-01T10:00:00.120Z");
    Instant displayed = Instant.parse("2026-01-01T10:02:13.004Z");
    ReceiptStatus status = ReceiptStatus.SENT.advancedTo(ReceiptState.DELIVERED, delivered)
        .advancedTo(ReceiptState.DISPLAYED, displayed);

    XmlElement answer = ReceiptStatusHandler.answer(List.of(
        new ReceiptWire.Answer(new ReceiptWire.Query("bob@localhost", "m-1"), Optional.of(1L),
            status),
        new ReceiptWire.Answer(new ReceiptWire.Query("bob@localhost", "m-2"), Optional.of(2L),
            ReceiptStatus.SENT),
        new ReceiptWire.Answer(new ReceiptWire.Query("bob@localhost", "m-3"), Optional.empty(),
            ReceiptStatus.SENT)));

    assertThat(answer).isEqualTo(TestXml.parse("<status xmlns='urn:tern:receipts:0'>"
        + "<message with='bob@localhost' id='m-1' state='displayed'"
        + " delivered='2026-01-01T10:00:00.120Z' displayed='2026-01-01T10:02:13.004Z'/>"
        + "<message with='bob@localhost' id='m-2' state='sent'/>"
        + "<message with='bob@localhost' id='m-3' state='unknown'/></status>"));
  }

  @Test
  void theQueryIsAnIqGetToTheOwnAccountAdvertisedOnIt() {
    var r = new ReceiptStatusHandler(noNats(), "region-a", java.time.Duration.ofSeconds(1))
        .registration();

    assertThat(r.types()).containsExactly("get");
    assertThat(r.addressing()).isEqualTo(dev.tern.edge.iq.IqRegistration.Addressing.OWN_ACCOUNT);
    assertThat(r.features()).containsExactly("urn:tern:receipts:0");
  }

  private static io.nats.client.Connection noNats() {
    return (io.nats.client.Connection) java.lang.reflect.Proxy.newProxyInstance(
        io.nats.client.Connection.class.getClassLoader(),
        new Class<?>[] {io.nats.client.Connection.class}, (p, m, a) -> {
          throw new UnsupportedOperationException("no NATS here");
        });
  }
}

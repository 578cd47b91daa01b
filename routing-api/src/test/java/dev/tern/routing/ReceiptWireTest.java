package dev.tern.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.storage.receipts.ReceiptState;
import dev.tern.storage.receipts.ReceiptStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiptWireTest {

  @Test
  void queriesSurviveTheWire() {
    List<ReceiptWire.Query> queries = List.of(new ReceiptWire.Query("bob@localhost", "a1"),
        new ReceiptWire.Query("carol@localhost", "ü-2"));

    assertThat(ReceiptWire.decodeQueries(ReceiptWire.encodeQueries(queries))).isEqualTo(queries);
  }

  @Test
  void answersSurviveTheWireWithTheirStamps() {
    Instant t = Instant.parse("2025-05-01T12:00:00.250Z");
    List<ReceiptWire.Answer> answers = List.of(
        new ReceiptWire.Answer(new ReceiptWire.Query("bob@localhost", "a1"), Optional.of(7L),
            ReceiptStatus.SENT.advancedTo(ReceiptState.DISPLAYED, t)),
        new ReceiptWire.Answer(new ReceiptWire.Query("bob@localhost", "a2"), Optional.of(8L),
            ReceiptStatus.SENT),
        new ReceiptWire.Answer(new ReceiptWire.Query("bob@localhost", "gone"), Optional.empty(),
            ReceiptStatus.SENT));

    assertThat(ReceiptWire.decodeAnswers(ReceiptWire.encodeAnswers(answers))).isEqualTo(answers);
  }

  @Test
  void aQueryForTooManyMessagesIsRefused() {
    List<ReceiptWire.Query> many = new ArrayList<>();
    for (int i = 0; i <= ReceiptWire.MAX_QUERY; i++) {
      many.add(new ReceiptWire.Query("bob@localhost", "m" + i));
    }

    assertThatThrownBy(() -> ReceiptWire.decodeQueries(ReceiptWire.encodeQueries(many)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSubjectStaysUnderTheRegionsRouterPrefix() {
    assertThat(ReceiptWire.status("region-a")).isEqualTo("tern.region-a.router.receipt-status");
  }
}

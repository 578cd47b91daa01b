package dev.tern.storage.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiptStatusTest {

  private static final Instant T = Instant.parse("2025-05-01T12:00:00.123456Z");

  @Test
  void stampsAreKeptToTheMillisecondAsCassandraKeepsThem() {
    ReceiptStatus s = ReceiptStatus.SENT.advancedTo(ReceiptState.DELIVERED, T);

    assertThat(s.delivered()).contains(Instant.parse("2025-05-01T12:00:00.123Z"));
  }

  @Test
  void advancingToAnEarlierStateChangesNothing() {
    ReceiptStatus displayed = ReceiptStatus.SENT.advancedTo(ReceiptState.DISPLAYED, T);

    assertThat(displayed.advancedTo(ReceiptState.DELIVERED, T.plusSeconds(5))).isEqualTo(displayed);
  }

  @Test
  void aLaterStateFillsOnlyTheMissingStamps() {
    ReceiptStatus delivered = ReceiptStatus.SENT.advancedTo(ReceiptState.DELIVERED, T);
    Instant later = T.plusSeconds(9);

    ReceiptStatus displayed = delivered.advancedTo(ReceiptState.DISPLAYED, later);

    assertThat(displayed).isEqualTo(new ReceiptStatus(delivered.delivered(),
        Optional.of(later.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)), Optional.empty()));
    assertThat(displayed.state()).isEqualTo(ReceiptState.DISPLAYED);
  }

  @Test
  void wireNamesAreLowerCase() {
    assertThat(ReceiptState.DISPLAYED.wireName()).isEqualTo("displayed");
  }
}

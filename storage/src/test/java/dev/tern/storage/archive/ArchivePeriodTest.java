package dev.tern.storage.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The archive's partitions on Cassandra, one per month of {@link ArchivePosition#storedAt}. */
class ArchivePeriodTest {

  @Test
  void theMonthOfAPositionIsItsPartition() {
    assertThat(CassandraArchiveStore.period(Instant.parse("2025-05-31T23:59:59.999Z")))
        .isEqualTo(202505);
    assertThat(CassandraArchiveStore.period(Instant.parse("2025-06-01T00:00:00Z")))
        .isEqualTo(202506);
    assertThat(CassandraArchiveStore.period(ArchivePosition.LAST.storedAt())).isEqualTo(999912);
  }
}

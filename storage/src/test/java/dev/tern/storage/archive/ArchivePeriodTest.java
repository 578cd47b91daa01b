package dev.tern.storage.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The archive's partitions on Cassandra, one per month of {@link ArchivePosition#storedAt}, and
 * how long the rows listing them live.
 */
class ArchivePeriodTest {

  @Test
  void theMonthOfAPositionIsItsPartition() {
    assertThat(CassandraArchiveStore.period(Instant.parse("2025-05-31T23:59:59.999Z")))
        .isEqualTo(202505);
    assertThat(CassandraArchiveStore.period(Instant.parse("2025-06-01T00:00:00Z")))
        .isEqualTo(202506);
    assertThat(CassandraArchiveStore.period(ArchivePosition.LAST.storedAt())).isEqualTo(999912);
  }

  @Test
  void withoutRetentionNeitherArchiveNorPeriodRowsExpire() {
    assertThat(CassandraArchiveStore.ttlSeconds(Duration.ZERO)).isZero();
    assertThat(CassandraArchiveStore.periodTtlSeconds(Duration.ZERO)).isZero();
  }

  @Test
  void aPeriodRowOutlivesItsArchiveRowsByMoreThanItGoesUnwritten() {
    Duration retention = Duration.ofDays(30);

    int rows = CassandraArchiveStore.ttlSeconds(retention);
    int periods = CassandraArchiveStore.periodTtlSeconds(retention);

    assertThat(rows).isEqualTo(30 * 86_400);
    assertThat(periods - rows)
        .isGreaterThan((int) CassandraArchiveStore.REWRITE_AFTER.getSeconds());
  }

  @Test
  void aPeriodRowNeverAsksForMoreThanCassandrasLongestTtl() {
    assertThat(CassandraArchiveStore.periodTtlSeconds(Duration.ofDays(365L * 20)))
        .isEqualTo(630_720_000);
  }
}

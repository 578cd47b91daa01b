package dev.tern.storage.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArchivePositionTest {

  private static final Instant T = Instant.parse("2025-05-01T12:00:00.123Z");

  @Test
  void positionsOrderByTimeThenChatThenSeq() {
    ArchivePosition a = new ArchivePosition(T, "b/c", 9);
    ArchivePosition b = new ArchivePosition(T, "b/d", 1);
    ArchivePosition c = new ArchivePosition(T, "b/d", 2);
    ArchivePosition d = new ArchivePosition(T.plusMillis(1), "a/a", 1);

    assertThat(a).isLessThan(b);
    assertThat(b).isLessThan(c);
    assertThat(c).isLessThan(d);
  }

  @Test
  void timeBoundsEncloseEveryMessageOfTheirMillisecond() {
    ArchivePosition m = new ArchivePosition(T, "a/b", 1);

    assertThat(ArchivePosition.startOf(T)).isLessThan(m);
    assertThat(ArchivePosition.endOf(T)).isGreaterThan(m);
    assertThat(ArchivePosition.endOf(T.plusNanos(500_000))).isGreaterThan(m);
    assertThat(ArchivePosition.startOf(T.plusMillis(1))).isGreaterThan(m);
    assertThat(ArchivePosition.endOf(T.minusMillis(1))).isLessThan(m);
  }
}

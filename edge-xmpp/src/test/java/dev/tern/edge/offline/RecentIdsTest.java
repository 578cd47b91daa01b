package dev.tern.edge.offline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentIdsTest {

  @Test
  void anIdSeenLatelyIsARepeat() {
    RecentIds ids = new RecentIds(3);
    assertThat(ids.add("a")).isTrue();
    assertThat(ids.add("b")).isTrue();
    assertThat(ids.add("a")).isFalse();
  }

  @Test
  void theOldestIdIsForgottenPastCapacity() {
    RecentIds ids = new RecentIds(2);
    ids.add("a");
    ids.add("b");
    ids.add("c");
    assertThat(ids.add("a")).as("forgotten").isTrue();
    assertThat(ids.add("c")).isFalse();
  }
}

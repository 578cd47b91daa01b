package dev.tern.regions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void humanDurationsParse() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("2 minutes")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("30 days")).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void aDurationWithoutUnitIsRefused() {
    assertThatThrownBy(() -> Durations.parse("5")).hasMessageContaining("'5'");
  }
}

package dev.tern.regions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DataSizeTest {

  @Test
  void sizesParseInBinaryUnits() {
    assertThat(DataSize.parse("256 KiB").bytes()).isEqualTo(256 * 1024);
    assertThat(DataSize.parse("1MiB").bytes()).isEqualTo(1024 * 1024);
    assertThat(DataSize.parse("512 B").bytes()).isEqualTo(512);
    assertThat(DataSize.parse("4096").bytes()).isEqualTo(4096);
  }

  @Test
  void aSizeWithAnUnknownUnitIsRefused() {
    assertThatThrownBy(() -> DataSize.parse("3 parsecs")).hasMessageContaining("'3 parsecs'");
  }
}

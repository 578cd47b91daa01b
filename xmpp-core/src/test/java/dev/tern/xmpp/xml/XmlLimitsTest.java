package dev.tern.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class XmlLimitsTest {

  @Test
  void theDefaultsAre256KibStanzas64Levels64AttributesAnd8KibValues() {
    assertThat(XmlLimits.DEFAULTS).isEqualTo(new XmlLimits(262_144, 64, 64, 8_192));
  }

  @Test
  void everyLimitMustBePositive() {
    assertThatThrownBy(() -> new XmlLimits(0, 64, 64, 8192))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxStanzaBytes");
    assertThatThrownBy(() -> new XmlLimits(1024, -1, 64, 8192))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDepth");
    assertThatThrownBy(() -> new XmlLimits(1024, 64, 0, 8192))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttributes");
    assertThatThrownBy(() -> new XmlLimits(1024, 64, 64, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttributeValueBytes");
  }
}

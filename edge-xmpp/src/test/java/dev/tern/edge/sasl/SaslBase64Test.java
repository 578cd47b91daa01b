package dev.tern.edge.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SaslBase64Test {

  @Test
  void noTextAndASingleEqualsSignAreZeroLengthData() {
    assertThat(SaslBase64.decode("")).hasValueSatisfying(b -> assertThat(b).isEmpty());
    assertThat(SaslBase64.decode("=")).hasValueSatisfying(b -> assertThat(b).isEmpty());
    assertThat(SaslBase64.encode(new byte[0])).isEqualTo("=");
  }

  @Test
  void paddedBase64IsDecoded() {
    assertThat(SaslBase64.decode("biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM"))
        .hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8))
            .isEqualTo("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
    assertThat(SaslBase64.decode("AA==")).hasValueSatisfying(b -> assertThat(b).containsExactly(0));
    assertThat(SaslBase64.encode(new byte[] {0})).isEqualTo("AA==");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AA", "AA=", "A===", "AA=A", "A A=", "AA==\n", "AA-_", "====", "==",
      "AA==AA=="})
  void anythingButPaddedBase64IsAnIncorrectEncoding(String text) {
    assertThat(SaslBase64.decode(text)).isEmpty();
  }
}

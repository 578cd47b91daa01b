package dev.tern.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.nats.client.impl.Headers;
import org.junit.jupiter.api.Test;

class WireTextTest {

  @Test
  void asciiJidsReadTheSameOnTheWire() {
    assertThat(WireText.encode("alice@localhost/phone 1")).isEqualTo("alice@localhost/phone 1");
    assertThat(WireText.decode("alice@localhost/phone 1")).isEqualTo("alice@localhost/phone 1");
  }

  @Test
  void unicodeJidsAndPercentSignsGoEscapedAndComeBack() {
    for (String jid : new String[] {"josé@localhost", "日本@localhost/電話", "a%20b@localhost",
        "100%@localhost", "🙂@localhost/🎉", "tab\there"}) {
      String wire = WireText.encode(jid);
      assertThat(wire).matches("[\\x20-\\x7e]*");
      assertThatNoException().isThrownBy(() -> new Headers().add(MessageWire.USER, wire));
      assertThat(WireText.decode(wire)).isEqualTo(jid);
    }
    assertThat(WireText.encode("josé@localhost")).isEqualTo("jos%C3%A9@localhost");
  }

  @Test
  void nullStaysNullAndAMalformedEscapeIsKept() {
    assertThat(WireText.encode(null)).isNull();
    assertThat(WireText.decode(null)).isNull();
    assertThat(WireText.decode("50%")).isEqualTo("50%");
    assertThat(WireText.decode("%zz")).isEqualTo("%zz");
  }
}

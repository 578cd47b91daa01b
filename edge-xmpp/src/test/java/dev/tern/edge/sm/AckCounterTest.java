package dev.tern.edge.sm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AckCounterTest {

  private static final long LAST = AckCounter.MODULUS - 1;

  @Test
  void startsAtZeroAndCountsEachHandledStanza() {
    AckCounter h = new AckCounter();
    assertThat(h.value()).isZero();

    assertThat(h.increment()).isEqualTo(1);
    assertThat(h.increment()).isEqualTo(2);
    assertThat(h.value()).isEqualTo(2);
  }

  @Test
  void goesFrom2To32Minus1BackToZeroInsteadOf2To32() {
    AckCounter h = new AckCounter(LAST - 1);

    assertThat(h.increment()).isEqualTo(LAST);
    assertThat(h.increment()).isZero();
    assertThat(h.increment()).isEqualTo(1);
  }

  @Test
  void additionWrapsToo() {
    assertThat(AckCounter.add(LAST, 1)).isZero();
    assertThat(AckCounter.add(LAST - 1, 4)).isEqualTo(2);
    assertThat(AckCounter.add(7, 0)).isEqualTo(7);
  }

  @Test
  void distanceIsRightAcrossTheWrap() {
    assertThat(AckCounter.distance(5, 5)).isZero();
    assertThat(AckCounter.distance(5, 8)).isEqualTo(3);
    assertThat(AckCounter.distance(LAST - 1, 1)).isEqualTo(3);
    assertThat(AckCounter.distance(LAST, 0)).isEqualTo(1);
    assertThat(AckCounter.distance(1, 0)).isEqualTo(LAST);
  }

  @Test
  void valuesOutsideAnUnsignedIntAreRefused() {
    assertThatThrownBy(() -> new AckCounter(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AckCounter(AckCounter.MODULUS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AckCounter.distance(0, AckCounter.MODULUS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(AckCounter.isValid(LAST)).isTrue();
    assertThat(AckCounter.isValid(-1)).isFalse();
  }

  @Test
  void readsAnHAttributeAsAnXmlSchemaUnsignedInt() {
    assertThat(AckCounter.parse("0")).isZero();
    assertThat(AckCounter.parse("42")).isEqualTo(42);
    assertThat(AckCounter.parse("+7")).isEqualTo(7);
    assertThat(AckCounter.parse("007")).isEqualTo(7);
    assertThat(AckCounter.parse(" 12 ")).isEqualTo(12);
    assertThat(AckCounter.parse("000000000004294967295")).isEqualTo(LAST);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "-1", "4294967296", "99999999999999999999999", "1e3", "0x10",
      "1.0", "+", "١٢"})
  void anythingElseIsNotAnH(String text) {
    assertThatThrownBy(() -> AckCounter.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}

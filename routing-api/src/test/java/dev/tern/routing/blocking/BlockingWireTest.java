package dev.tern.routing.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlockingWireTest {

  @Test
  void jidsTravelAsLinesAndComeBackInOrder() {
    List<String> jids = List.of("romeo@montague.lit", "montague.lit/bot", "a@b.lit/x y@z");
    assertThat(BlockingWire.decode(BlockingWire.encode(jids))).containsExactlyElementsOf(jids);
    assertThat(BlockingWire.decode(new byte[0])).isEmpty();
  }
}

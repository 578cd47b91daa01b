package dev.tern.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.router.blocking.Verdict;
import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.WireText;
import io.nats.client.impl.Headers;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RefusalTest {

  @Test
  void aRefusalTravelsInHeadersAndComesBackTheSame() {
    Refusal blocked = Verdict.BLOCKED_BY_SENDER.refusal().orElseThrow();

    Headers h = blocked.toHeaders();

    assertThat(Refusal.from(h)).contains(blocked);
    assertThat(WireText.header(h, MessageWire.ERROR)).isEqualTo("not-acceptable");
  }

  @Test
  void aReplyWithoutRefusalHeadersIsNoRefusal() {
    assertThat(Refusal.from(null)).isEmpty();
    assertThat(Refusal.from(new Headers().add(MessageWire.ERROR, "not stored"))).isEmpty();
  }

  @Test
  void anApplicationConditionIsInClarkNotation() {
    assertThatThrownBy(() -> new Refusal("not-acceptable", "cancel", Optional.of("blocked")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.tern.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.routing.WireText;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageWireTest {

  @Test
  void aPassingStanzaGoesOnItsUsersSubjectAndNamesTheResourceItIsFor() {
    NatsMessage m = MessageWire.stanza("juliet@capulet.lit/balcony/with a slash", "<presence/>");

    assertThat(m.getSubject()).isEqualTo(MessageWire.user("juliet@capulet.lit"));
    assertThat(WireText.header(m.getHeaders(), MessageWire.TO))
        .isEqualTo("juliet@capulet.lit/balcony/with a slash");
    assertThat(WireText.header(m.getHeaders(), MessageWire.KIND))
        .isEqualTo(MessageWire.KIND_STANZA);
    assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("<presence/>");
  }

  @Test
  void aStanzaForABareJidGoesToEverySessionOfTheUser() {
    NatsMessage m = MessageWire.stanza("juliet@capulet.lit", "<presence/>");

    assertThat(m.getSubject()).isEqualTo(MessageWire.user("juliet@capulet.lit"));
    assertThat(WireText.header(m.getHeaders(), MessageWire.TO)).isEqualTo("juliet@capulet.lit");
  }

  @Test
  void theAddressIsTakenInItsPreparedForm() {
    NatsMessage m = MessageWire.stanza("Juliet@Capulet.LIT/Balcony", "<presence/>");

    assertThat(m.getSubject()).isEqualTo(MessageWire.user("juliet@capulet.lit"));
    assertThat(WireText.header(m.getHeaders(), MessageWire.TO))
        .isEqualTo("juliet@capulet.lit/Balcony");
  }

  @Test
  void somethingThatIsNoJidIsRefused() {
    assertThatThrownBy(() -> MessageWire.stanza("juliet@capulet.lit/", "<presence/>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resourcepart");
    assertThatThrownBy(() -> MessageWire.stanza("@capulet.lit", "<presence/>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("localpart");
  }
}

package dev.tern.storage.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoredMessageTest {

  private static final ChatId CHAT = ChatId.direct("a@x.example", "b@x.example");

  @Test
  void storedAtIsKeptToTheMillisecondAsCassandraKeepsIt() {
    StoredMessage m = new StoredMessage(CHAT, 1, "id", "a@x.example", "b@x.example",
        Optional.empty(), "<message/>", Instant.parse("2025-05-01T12:00:00.123456789Z"));

    assertThat(m.storedAt()).isEqualTo(Instant.parse("2025-05-01T12:00:00.123Z"));
  }

  @Test
  void numbersStartAtOne() {
    assertThatThrownBy(() -> new StoredMessage(CHAT, 0, "id", "a@x.example", "b@x.example",
        Optional.empty(), "<message/>", Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq");
  }
}

package dev.tern.storage.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChatIdTest {

  @Test
  void aDirectChatIsTheSameWhicheverPartyIsNamedFirst() {
    assertThat(ChatId.direct("romeo@montague.example", "juliet@capulet.example"))
        .isEqualTo(ChatId.direct("juliet@capulet.example", "romeo@montague.example"));
  }

  @Test
  void aDirectChatJoinsTheSortedBareJidsWithASlash() {
    assertThat(ChatId.direct("romeo@montague.example", "juliet@capulet.example").value())
        .isEqualTo("juliet@capulet.example/romeo@montague.example");
  }

  @Test
  void differentPairsNeverShareAChat() {
    assertThat(ChatId.direct("a@x.example", "b@x.example"))
        .isNotEqualTo(ChatId.direct("a@x.example", "c@x.example"))
        .isNotEqualTo(ChatId.direct("a@x.exampl", "eb@x.example"));
  }

  @Test
  void aChatWithOneselfIsAllowed() {
    assertThat(ChatId.direct("juliet@capulet.example", "juliet@capulet.example").value())
        .isEqualTo("juliet@capulet.example/juliet@capulet.example");
  }

  @Test
  void fullJidsAndEmptyAddressesAreRefused() {
    assertThatThrownBy(() -> ChatId.direct("juliet@capulet.example/balcony", "romeo@m.example"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bareJidA");
    assertThatThrownBy(() -> ChatId.direct("juliet@capulet.example", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bareJidB");
    assertThatThrownBy(() -> new ChatId(""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

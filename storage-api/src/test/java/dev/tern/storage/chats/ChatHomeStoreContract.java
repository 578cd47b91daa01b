package dev.tern.storage.chats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.storage.messages.ChatId;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ChatHomeStore} must have. A test class per implementation extends
 * it and supplies the store; each test uses chats of its own, so the store may be shared between
 * tests and hold other data (a real Cassandra keyspace migrated to v11 or later).
 */
public abstract class ChatHomeStoreContract {

  /** The store under test; may return the same instance on every call. */
  protected abstract ChatHomeStore store();

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  private static ChatId newChat() {
    return ChatId.direct("alice-" + UUID.randomUUID() + "@example.com",
        "bob-" + UUID.randomUUID() + "@example.com");
  }

  private final ChatId chat = newChat();

  @Test
  void aChatNeverSettledHasNoHome() {
    assertThat(await(store().home(chat))).isEmpty();
  }

  @Test
  void theFirstRegionToSettleAChatBecomesItsHome() {
    assertThat(await(store().settle(chat, "region-a"))).isEqualTo("region-a");

    assertThat(await(store().home(chat))).contains("region-a");
  }

  @Test
  void settlingAChatThatHasAHomeKeepsTheFirst() {
    await(store().settle(chat, "region-a"));

    assertThat(await(store().settle(chat, "region-b"))).isEqualTo("region-a");

    assertThat(await(store().home(chat))).contains("region-a");
  }

  @Test
  void eachChatHasItsOwnHome() {
    ChatId other = newChat();
    await(store().settle(chat, "region-a"));
    await(store().settle(other, "region-b"));

    assertThat(await(store().home(chat))).contains("region-a");
    assertThat(await(store().home(other))).contains("region-b");
  }
}

package dev.tern.storage.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.StoredMessage;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ReceiptStore} must have. A test class per implementation extends it
 * and supplies the store; each test uses chats of its own, so the store may be shared between
 * tests and hold other data (a real Cassandra keyspace migrated to v7 or later).
 */
public abstract class ReceiptStoreContract {

  /** The store under test; may return the same instance on every call. */
  protected abstract ReceiptStore store();

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  private static String uniqueJid(String name) {
    return name + "-" + UUID.randomUUID() + "@example.com";
  }

  private static final Instant T0 = Instant.parse("2025-05-01T12:00:00Z");

  private final String alice = uniqueJid("alice");
  private final String bob = uniqueJid("bob");
  private final ChatId chat = ChatId.direct(alice, bob);

  private StoredMessage fromAlice(long seq, Optional<String> originId) {
    return new StoredMessage(chat, seq, UUID.randomUUID().toString(), alice, bob, originId,
        "<message xmlns='jabber:client' type='chat'><body>" + seq + "</body></message>",
        T0.plusSeconds(seq));
  }

  @Test
  void aMessageIsFoundByItsClientIdItsOriginIdAndItsStanzaId() {
    StoredMessage m = fromAlice(3, Optional.of("origin-3"));

    await(store().index(m, Optional.of("client-3")));

    assertThat(await(store().find(chat, alice, "client-3"))).contains(3L);
    assertThat(await(store().find(chat, alice, "origin-3"))).contains(3L);
    assertThat(await(store().find(chat, alice, m.stanzaId()))).contains(3L);
  }

  @Test
  void anIdIsOnlyFoundForItsSenderAndChat() {
    await(store().index(fromAlice(1, Optional.empty()), Optional.of("same-id")));

    assertThat(await(store().find(chat, bob, "same-id"))).as("bob sent no such message").isEmpty();
    assertThat(await(store().find(ChatId.direct(alice, uniqueJid("carol")), alice, "same-id")))
        .as("another chat").isEmpty();
    assertThat(await(store().find(chat, alice, "never-sent"))).isEmpty();
  }

  @Test
  void indexingAgainChangesNothing() {
    StoredMessage m = fromAlice(2, Optional.of("o"));

    await(store().index(m, Optional.of("c")));
    await(store().index(m, Optional.of("c")));

    assertThat(await(store().find(chat, alice, "c"))).contains(2L);
  }

  @Test
  void aMessageNoReceiptNamedIsSent() {
    assertThat(await(store().status(chat, 1))).isEqualTo(ReceiptStatus.SENT);
    assertThat(await(store().status(chat, 1)).state()).isEqualTo(ReceiptState.SENT);
  }

  @Test
  void aDeliveryReceiptRecordsWhenTheMessageWasDelivered() {
    Instant at = T0.plusSeconds(10);

    ReceiptStatus after = await(store().advance(chat, 1, ReceiptState.DELIVERED, at));

    assertThat(after.state()).isEqualTo(ReceiptState.DELIVERED);
    assertThat(await(store().status(chat, 1)).delivered()).contains(at);
    assertThat(await(store().status(chat, 1)).displayed()).isEmpty();
  }

  @Test
  void displayedImpliesDeliveredAtTheSameTime() {
    Instant at = T0.plusSeconds(20);

    await(store().advance(chat, 4, ReceiptState.DISPLAYED, at));

    ReceiptStatus status = await(store().status(chat, 4));
    assertThat(status.state()).isEqualTo(ReceiptState.DISPLAYED);
    assertThat(status.delivered()).contains(at);
    assertThat(status.displayed()).contains(at);
  }

  @Test
  void statusOnlyMovesForwardAndKeepsItsFirstStamps() {
    Instant delivered = T0.plusSeconds(30);
    Instant displayed = T0.plusSeconds(40);

    await(store().advance(chat, 5, ReceiptState.DELIVERED, delivered));
    await(store().advance(chat, 5, ReceiptState.DISPLAYED, displayed));
    await(store().advance(chat, 5, ReceiptState.DELIVERED, T0.plusSeconds(50)));
    await(store().advance(chat, 5, ReceiptState.DISPLAYED, T0.plusSeconds(60)));

    ReceiptStatus status = await(store().status(chat, 5));
    assertThat(status.state()).isEqualTo(ReceiptState.DISPLAYED);
    assertThat(status.delivered()).contains(delivered);
    assertThat(status.displayed()).contains(displayed);
    assertThat(status.acknowledged()).isEmpty();
  }

  @Test
  void acknowledgedImpliesEverythingBeforeIt() {
    Instant delivered = T0.plusSeconds(1);
    Instant acknowledged = T0.plusSeconds(2);

    await(store().advance(chat, 6, ReceiptState.DELIVERED, delivered));
    await(store().advance(chat, 6, ReceiptState.ACKNOWLEDGED, acknowledged));

    ReceiptStatus status = await(store().status(chat, 6));
    assertThat(status.state()).isEqualTo(ReceiptState.ACKNOWLEDGED);
    assertThat(status.delivered()).contains(delivered);
    assertThat(status.displayed()).contains(acknowledged);
    assertThat(status.acknowledged()).contains(acknowledged);
  }

  @Test
  void statusIsKeptPerMessage() {
    await(store().advance(chat, 7, ReceiptState.DISPLAYED, T0));

    assertThat(await(store().status(chat, 8))).isEqualTo(ReceiptStatus.SENT);
    assertThat(await(store().status(ChatId.direct(alice, uniqueJid("dave")), 7)))
        .isEqualTo(ReceiptStatus.SENT);
  }

  @Test
  void statusOfAMessageFarIntoAChatIsKeptToo() {
    await(store().advance(chat, 123_456, ReceiptState.DELIVERED, T0));

    assertThat(await(store().status(chat, 123_456)).delivered()).contains(T0);
  }

  @Test
  void sentIsNotSomethingAReceiptRecords() {
    assertThatThrownBy(() -> store().advance(chat, 1, ReceiptState.SENT, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

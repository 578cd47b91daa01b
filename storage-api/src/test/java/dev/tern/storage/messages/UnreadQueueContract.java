package dev.tern.storage.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link UnreadQueue} must have. A test class per implementation extends it
 * and supplies the queue; each test uses users and chats of its own, so the queue may be shared
 * between tests and hold other data (a real Cassandra keyspace migrated to v5 or later).
 */
public abstract class UnreadQueueContract {

  /** The queue under test; may return the same instance on every call. */
  protected abstract UnreadQueue queue();

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the queue did not answer", e);
    }
  }

  private static String uniqueJid(String name) {
    return name + "-" + UUID.randomUUID() + "@example.com";
  }

  private static final Instant T0 = Instant.parse("2025-05-01T12:00:00Z");

  private final String bob = uniqueJid("bob");
  private final String alice = uniqueJid("alice");
  private final String carol = uniqueJid("carol");
  private final ChatId withAlice = ChatId.direct(alice, bob);
  private final ChatId withCarol = ChatId.direct(carol, bob);

  private StoredMessage message(ChatId chat, String sender, long seq, long secondsAfterT0) {
    return new StoredMessage(chat, seq, UUID.randomUUID().toString(), sender, bob,
        seq % 2 == 0 ? Optional.empty() : Optional.of("origin-" + seq),
        "<message xmlns='jabber:client' type='chat'><body>" + seq + "</body></message>",
        T0.plusSeconds(secondsAfterT0));
  }

  @Test
  void anEmptyQueueHasNothingToPeek() {
    assertThat(await(queue().peek(bob, 10))).isEmpty();
  }

  @Test
  void aQueuedMessageIsPeekedAsItWasAddedAndStaysQueued() {
    StoredMessage m = message(withAlice, alice, 1, 0);

    await(queue().add(bob, m));

    assertThat(await(queue().peek(bob, 10))).containsExactly(m);
    assertThat(await(queue().peek(bob, 10))).containsExactly(m);
  }

  @Test
  void messagesComeOldestFirstAcrossChatsAndBySeqWithinAChat() {
    StoredMessage a1 = message(withAlice, alice, 1, 0);
    StoredMessage c1 = message(withCarol, carol, 1, 1);
    StoredMessage a2 = message(withAlice, alice, 2, 2);
    StoredMessage a3 = message(withAlice, alice, 3, 2);
    StoredMessage c2 = message(withCarol, carol, 2, 3);

    await(queue().add(bob, c2));
    await(queue().add(bob, a3));
    await(queue().add(bob, a1));
    await(queue().add(bob, c1));
    await(queue().add(bob, a2));

    assertThat(await(queue().peek(bob, 10))).containsExactly(a1, c1, a2, a3, c2);
    assertThat(await(queue().peek(bob, 2))).containsExactly(a1, c1);
  }

  @Test
  void removingAnAcknowledgedMessageLeavesTheRest() {
    StoredMessage a1 = message(withAlice, alice, 1, 0);
    StoredMessage a2 = message(withAlice, alice, 2, 1);
    StoredMessage c1 = message(withCarol, carol, 1, 2);
    await(queue().add(bob, a1));
    await(queue().add(bob, a2));
    await(queue().add(bob, c1));

    await(queue().remove(bob, withAlice, 1));

    assertThat(await(queue().peek(bob, 10))).containsExactly(a2, c1);
  }

  @Test
  void addingAMessageAgainQueuesItOnce() {
    StoredMessage m = message(withAlice, alice, 1, 0);

    await(queue().add(bob, m));
    await(queue().add(bob, m));

    assertThat(await(queue().peek(bob, 10))).containsExactly(m);
  }

  @Test
  void removingWhatIsNotQueuedIsNoError() {
    StoredMessage m = message(withAlice, alice, 1, 0);
    await(queue().add(bob, m));

    await(queue().remove(bob, withAlice, 2));
    await(queue().remove(bob, withCarol, 1));
    await(queue().remove(uniqueJid("nobody"), withAlice, 1));

    assertThat(await(queue().peek(bob, 10))).containsExactly(m);
  }

  @Test
  void eachUserHasTheirOwnQueue() {
    StoredMessage toBob = message(withAlice, alice, 1, 0);
    await(queue().add(bob, toBob));

    assertThat(await(queue().peek(alice, 10))).isEmpty();

    await(queue().remove(alice, withAlice, 1));
    assertThat(await(queue().peek(bob, 10))).containsExactly(toBob);
  }

  @Test
  void theNextBatchStartsAfterTheLastEntryOfThePreviousOne() {
    String user = "batch-" + java.util.UUID.randomUUID() + "@example.com";
    MessageStore store = new InMemoryMessageStore();
    ChatId chat = ChatId.direct("sender@example.com", user);
    List<StoredMessage> all = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      StoredMessage m = store.append(chat, "sender@example.com", user, java.util.Optional.empty(),
          "<message xmlns='jabber:client'><body>" + i + "</body></message>")
          .toCompletableFuture().join();
      queue().add(user, m).toCompletableFuture().join();
      all.add(m);
    }
    List<StoredMessage> first = queue().peek(user, 2).toCompletableFuture().join();
    StoredMessage last = first.get(first.size() - 1);

    List<StoredMessage> next = queue().peekAfter(user, last.storedAt(), last.chat(), last.seq(), 10)
        .toCompletableFuture().join();

    assertThat(first).extracting(StoredMessage::seq).containsExactly(all.get(0).seq(), all.get(1).seq());
    assertThat(next).extracting(StoredMessage::seq)
        .containsExactly(all.get(2).seq(), all.get(3).seq(), all.get(4).seq());
  }
}

package dev.tern.storage.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link UnreadQueue} must have. A test class per implementation extends it
 * and supplies the queue; each test uses users and chats of its own, so the queue may be shared
 * between tests and hold other data (a real Cassandra keyspace migrated to v12 or later).
 *
 * <p>Every message is {@link #store stored} before it is queued, as the router does, so that a
 * queue that refers to stored messages rather than copying them finds it.
 */
public abstract class UnreadQueueContract {

  /** The queue under test; may return the same instance on every call. */
  protected abstract UnreadQueue queue();

  /**
   * Stores {@code m} where the queue reads its messages from, completing once it is stored. By
   * default nothing: a queue that keeps its own copy of each message needs no stored one.
   */
  protected void store(StoredMessage m) {}

  /**
   * Makes {@code m}'s stored message disappear as retention does, leaving whatever queues it. A
   * queue that keeps its own copies cannot lose a message that way, so by default the test that
   * needs this is skipped.
   */
  protected void expire(StoredMessage m) {
    Assumptions.abort("this queue keeps its own copy of each message");
  }

  /**
   * Loses what finds {@code user}'s entry for {@code m} by its chat and seq, as a crash between
   * the writes of {@link UnreadQueue#add} can; by default the test that needs this is skipped (a
   * queue that has no such separate row).
   */
  protected void loseIndexRow(String user, StoredMessage m) {
    Assumptions.abort("this queue has no index row to lose");
  }

  /** Stores {@code m} and queues it for {@code user}. */
  private void queued(String user, StoredMessage m) {
    store(m);
    await(queue().add(user, m));
  }

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

    queued(bob, m);

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

    queued(bob, c2);
    queued(bob, a3);
    queued(bob, a1);
    queued(bob, c1);
    queued(bob, a2);

    assertThat(await(queue().peek(bob, 10))).containsExactly(a1, c1, a2, a3, c2);
    assertThat(await(queue().peek(bob, 2))).containsExactly(a1, c1);
  }

  @Test
  void removingAnAcknowledgedMessageLeavesTheRest() {
    StoredMessage a1 = message(withAlice, alice, 1, 0);
    StoredMessage a2 = message(withAlice, alice, 2, 1);
    StoredMessage c1 = message(withCarol, carol, 1, 2);
    queued(bob, a1);
    queued(bob, a2);
    queued(bob, c1);

    await(queue().remove(bob, withAlice, 1));

    assertThat(await(queue().peek(bob, 10))).containsExactly(a2, c1);
  }

  @Test
  void addingAMessageAgainQueuesItOnce() {
    StoredMessage m = message(withAlice, alice, 1, 0);

    queued(bob, m);
    queued(bob, m);

    assertThat(await(queue().peek(bob, 10))).containsExactly(m);
  }

  @Test
  void removingWhatIsNotQueuedIsNoError() {
    StoredMessage m = message(withAlice, alice, 1, 0);
    queued(bob, m);

    await(queue().remove(bob, withAlice, 2));
    await(queue().remove(bob, withCarol, 1));
    await(queue().remove(uniqueJid("nobody"), withAlice, 1));

    assertThat(await(queue().peek(bob, 10))).containsExactly(m);
  }

  @Test
  void eachUserHasTheirOwnQueue() {
    StoredMessage toBob = message(withAlice, alice, 1, 0);
    queued(bob, toBob);

    assertThat(await(queue().peek(alice, 10))).isEmpty();

    await(queue().remove(alice, withAlice, 1));
    assertThat(await(queue().peek(bob, 10))).containsExactly(toBob);
  }

  @Test
  void theNextBatchStartsAfterTheLastEntryOfThePreviousOne() {
    String user = uniqueJid("batch");
    String sender = uniqueJid("sender");
    ChatId chat = ChatId.direct(sender, user);
    List<StoredMessage> all = new ArrayList<>();
    long seq = ChatSeq.first(1, T0.toEpochMilli());
    for (int i = 0; i < 5; i++) {
      StoredMessage m = new StoredMessage(chat, seq, UUID.randomUUID().toString(), sender, user,
          Optional.empty(), "<message xmlns='jabber:client'><body>" + i + "</body></message>",
          ChatSeq.time(seq));
      queued(user, m);
      all.add(m);
      seq = ChatSeq.next(seq, T0.toEpochMilli() + i + 1);
    }
    List<StoredMessage> first = await(queue().peek(user, 2));
    StoredMessage last = first.get(first.size() - 1);

    List<StoredMessage> next =
        await(queue().peekAfter(user, last.storedAt(), last.chat(), last.seq(), 10));

    assertThat(first).containsExactlyElementsOf(all.subList(0, 2));
    assertThat(next).containsExactlyElementsOf(all.subList(2, 5));
  }

  @Test
  void anEntryWhoseMessageIsGoneIsSkippedAndTheBatchReadsOnPastIt() {
    StoredMessage a1 = message(withAlice, alice, 1, 0);
    StoredMessage a2 = message(withAlice, alice, 2, 1);
    StoredMessage c1 = message(withCarol, carol, 1, 2);
    StoredMessage a3 = message(withAlice, alice, 3, 3);
    queued(bob, a1);
    queued(bob, a2);
    queued(bob, c1);
    queued(bob, a3);

    expire(a2);
    expire(c1);

    assertThat(await(queue().peek(bob, 10))).containsExactly(a1, a3);
    assertThat(await(queue().peek(bob, 2))).containsExactly(a1, a3);
    assertThat(await(queue().peekAfter(bob, a1.storedAt(), a1.chat(), a1.seq(), 1)))
        .containsExactly(a3);
  }

  @Test
  void anEntryWhoseIndexRowIsMissingIsStillRemoved() {
    long seq = ChatSeq.first(1, T0.toEpochMilli());
    // As the sequencer makes every message: its stored time is the time in its seq.
    StoredMessage m = new StoredMessage(withAlice, seq, UUID.randomUUID().toString(), alice, bob,
        Optional.of("origin-lost-index"), "<message xmlns='jabber:client'><body>x</body></message>",
        ChatSeq.time(seq));
    StoredMessage next = message(withCarol, carol, 1, 10);
    queued(bob, m);
    queued(bob, next);

    loseIndexRow(bob, m);
    await(queue().remove(bob, withAlice, seq));

    assertThat(await(queue().peek(bob, 10))).containsExactly(next);
  }
}

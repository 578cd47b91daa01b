package dev.tern.storage.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MessageStore} must have. A test class per implementation extends
 * it and supplies the store; each test uses chats and senders of its own, so the store may be
 * shared between tests and hold other data (a real Cassandra keyspace migrated to v11 or later).
 *
 * <p>Numbers are made as the chat's sequencer makes them ({@link ChatSeq}): far apart, in
 * {@code chat_messages} partitions about six days wide, and a new lease's epoch above the last.
 */
public abstract class MessageStoreContract {

  /** The store under test; may return the same instance on every call. */
  protected abstract MessageStore store();

  private static final long T0 = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
  private static final long DAY = 86_400_000L;

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  private static String uniqueJid(String name) {
    return name + "-" + UUID.randomUUID() + "@example.com";
  }

  private static String chatStanza(String from, String to, String body) {
    return "<message xmlns='jabber:client' type='chat' from='" + from + "' to='" + to + "'><body>"
        + body + "</body></message>";
  }

  /** Alice and Bob's chat, fresh for each test. */
  private final String alice = uniqueJid("alice");
  private final String bob = uniqueJid("bob");
  private final ChatId chat = ChatId.direct(alice, bob);

  /** Alice's message numbered {@code seq}, with an origin-id, at the time its number says. */
  private StoredMessage aliceSays(long seq, String body) {
    return new StoredMessage(chat, seq, UUID.randomUUID().toString(), alice, bob,
        Optional.of("origin-" + seq), chatStanza(alice, bob, body), ChatSeq.time(seq));
  }

  private StoredMessage stored(StoredMessage m) {
    await(store().store(m));
    return m;
  }

  /** {@code count} numbers of epoch 1 from {@code millis} on, one millisecond apart. */
  private static List<Long> numbers(long millis, int count) {
    List<Long> out = new ArrayList<>();
    long seq = ChatSeq.first(1, millis);
    for (int i = 0; i < count; i++) {
      out.add(seq);
      seq = ChatSeq.next(seq, millis + i + 1);
    }
    return out;
  }

  private List<StoredMessage> wholeHistory() {
    return await(store().history(chat, 0, 1_000));
  }

  @Test
  void aStoredMessageIsFoundByItsChatAndSeqAsItWasStored() {
    long seq = ChatSeq.first(1, T0);
    StoredMessage m = aliceSays(seq, "Art thou not Romeo?");

    await(store().store(m));

    assertThat(await(store().find(chat, seq))).contains(m);
    assertThat(wholeHistory()).containsExactly(m);
  }

  @Test
  void aMessageWithoutOriginIdIsStoredWithout() {
    long seq = ChatSeq.first(1, T0);
    StoredMessage m = new StoredMessage(chat, seq, UUID.randomUUID().toString(), bob, alice,
        Optional.empty(), chatStanza(bob, alice, "no origin"), ChatSeq.time(seq));

    await(store().store(m));

    assertThat(await(store().find(chat, seq))).contains(m);
  }

  @Test
  void storingTheSameMessageTwiceChangesNothing() {
    List<Long> seqs = numbers(T0, 2);
    StoredMessage first = stored(aliceSays(seqs.get(0), "once"));
    StoredMessage second = stored(aliceSays(seqs.get(1), "twice"));

    await(store().store(first));
    await(store().store(second));

    assertThat(wholeHistory()).containsExactly(first, second);
    assertThat(await(store().find(chat, seqs.get(0)))).contains(first);
  }

  @Test
  void historyPagesThroughAChatInAscendingOrder() {
    List<StoredMessage> sent = numbers(T0, 7).stream()
        .map(seq -> stored(aliceSays(seq, "message " + seq))).toList();

    List<StoredMessage> first = await(store().history(chat, 0, 3));
    List<StoredMessage> second = await(store().history(chat, first.get(2).seq(), 3));
    List<StoredMessage> third = await(store().history(chat, second.get(2).seq(), 3));
    List<StoredMessage> after = await(store().history(chat, third.get(0).seq(), 3));

    assertThat(first).containsExactlyElementsOf(sent.subList(0, 3));
    assertThat(second).containsExactlyElementsOf(sent.subList(3, 6));
    assertThat(third).containsExactly(sent.get(6));
    assertThat(after).isEmpty();
  }

  @Test
  void historyPagesAcrossSeveralPartitionsInOrderWhateverTheOrderTheyWereStoredIn() {
    List<Long> seqs = new ArrayList<>();
    for (long day : new long[] {0, 7, 8, 30}) {
      seqs.addAll(numbers(T0 + day * DAY, 2));
    }
    assertThat(seqs.stream().map(ChatSeq::bucket).distinct()).hasSizeGreaterThanOrEqualTo(3);
    List<StoredMessage> sent = seqs.stream().map(seq -> aliceSays(seq, "message " + seq)).toList();
    List<StoredMessage> shuffled = new ArrayList<>(sent);
    Collections.reverse(shuffled);
    shuffled.forEach(this::stored);

    List<StoredMessage> paged = new ArrayList<>();
    long after = 0;
    for (List<StoredMessage> page = await(store().history(chat, after, 3)); !page.isEmpty();
        page = await(store().history(chat, after, 3))) {
      assertThat(page).hasSizeLessThanOrEqualTo(3);
      paged.addAll(page);
      after = page.get(page.size() - 1).seq();
    }

    assertThat(paged).containsExactlyElementsOf(sent);
    assertThat(await(store().history(chat, 0, 100))).containsExactlyElementsOf(sent);
  }

  @Test
  void aLaterEpochFollowsAnEarlierOneWhateverItsOwnersClockSays() {
    long firstOwner = ChatSeq.first(1, T0 + 10 * DAY);
    long firstOwnerAgain = ChatSeq.next(firstOwner, T0 + 10 * DAY);
    // The next owner's clock is ten days behind; its epoch still puts its numbers above.
    long nextOwner = ChatSeq.first(2, T0);
    long nextOwnerAgain = ChatSeq.next(nextOwner, T0 + 1);
    StoredMessage a = stored(aliceSays(firstOwner, "before the lease moved"));
    StoredMessage b = stored(aliceSays(firstOwnerAgain, "still before"));
    StoredMessage c = stored(aliceSays(nextOwnerAgain, "after, stored first"));
    StoredMessage d = stored(aliceSays(nextOwner, "after"));

    assertThat(wholeHistory()).containsExactly(a, b, d, c);
    assertThat(await(store().history(chat, b.seq(), 1))).containsExactly(d);
    assertThat(await(store().history(chat, d.seq(), 10))).containsExactly(c);
  }

  @Test
  void historyStartsAfterTheGivenNumberWhetherOrNotItWasStored() {
    List<Long> early = numbers(T0, 3);
    List<Long> late = numbers(T0 + 9 * DAY, 2);
    List<StoredMessage> sent = new ArrayList<>();
    early.forEach(seq -> sent.add(stored(aliceSays(seq, "early " + seq))));
    late.forEach(seq -> sent.add(stored(aliceSays(seq, "late " + seq))));

    assertThat(await(store().history(chat, early.get(1), 10)))
        .containsExactlyElementsOf(sent.subList(2, 5));
    assertThat(await(store().history(chat, ChatSeq.first(1, T0 + 5 * DAY), 10)))
        .containsExactlyElementsOf(sent.subList(3, 5));
    assertThat(await(store().history(chat, late.get(1), 10))).isEmpty();
    assertThat(await(store().history(chat, Long.MAX_VALUE, 10))).isEmpty();
  }

  @Test
  void manyMessagesStoredAtOnceAreAllInTheHistory() {
    List<Long> seqs = new ArrayList<>();
    seqs.addAll(numbers(T0, 10));
    seqs.addAll(numbers(T0 + 7 * DAY, 10));
    List<StoredMessage> sent = seqs.stream().map(seq -> aliceSays(seq, "message " + seq)).toList();

    await(CompletableFuture.allOf(sent.stream()
        .map(m -> store().store(m).toCompletableFuture())
        .toArray(CompletableFuture[]::new)));

    assertThat(wholeHistory()).containsExactlyElementsOf(sent);
  }

  @Test
  void anUnknownChatHasNoHistoryAndNoMessages() {
    assertThat(await(store().history(chat, 0, 10))).isEmpty();
    assertThat(await(store().find(chat, ChatSeq.first(1, T0)))).isEmpty();
  }

  @Test
  void findAnswersOnlyForNumbersThatWereStored() {
    long seq = ChatSeq.first(1, T0);
    StoredMessage m = stored(aliceSays(seq, "one"));

    assertThat(await(store().find(chat, seq))).contains(m);
    assertThat(await(store().find(chat, seq + 1))).isEmpty();
    assertThat(await(store().find(chat, 0))).isEmpty();
  }

  @Test
  void chatsAreKeptApart() {
    String carol = uniqueJid("carol");
    ChatId other = ChatId.direct(alice, carol);
    long seq = ChatSeq.first(1, T0);
    StoredMessage toBob = stored(aliceSays(seq, "to Bob"));
    StoredMessage toCarol = new StoredMessage(other, seq, UUID.randomUUID().toString(), alice,
        carol, Optional.empty(), chatStanza(alice, carol, "to Carol"), ChatSeq.time(seq));
    await(store().store(toCarol));

    assertThat(await(store().find(chat, seq))).contains(toBob);
    assertThat(await(store().find(other, seq))).contains(toCarol);
    assertThat(await(store().history(other, 0, 10))).containsExactly(toCarol);
  }

  @Test
  void aPageMustStartAtZeroOrAboveAndHoldAtLeastOneMessage() {
    assertThatThrownBy(() -> store().history(chat, -1, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("afterSeq");
    assertThatThrownBy(() -> store().history(chat, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }

  @Test
  void anOriginIsFoundAsItWasRecorded() {
    OriginRecord record = OriginRecord.of(aliceSays(ChatSeq.first(1, T0), "find me"), false);

    await(store().recordOrigin(record));

    assertThat(await(store().findByOrigin(alice, record.originId()))).contains(record);
  }

  @Test
  void anOriginRecordedAgainAsCompleteReplacesTheFirstRecord() {
    StoredMessage m = aliceSays(ChatSeq.first(1, T0), "first attempt");
    await(store().recordOrigin(OriginRecord.of(m, false)));

    await(store().recordOrigin(OriginRecord.of(m, true)));

    assertThat(await(store().findByOrigin(alice, m.originId().orElseThrow())))
        .contains(OriginRecord.of(m, true));
  }

  @Test
  void differentSendersMayUseTheSameOriginId() {
    long seq = ChatSeq.first(1, T0);
    OriginRecord fromAlice = new OriginRecord(alice, "shared-origin", chat, seq,
        UUID.randomUUID().toString(), bob, ChatSeq.time(seq), true);
    OriginRecord fromBob = new OriginRecord(bob, "shared-origin", chat, seq + 1,
        UUID.randomUUID().toString(), alice, ChatSeq.time(seq + 1), false);

    await(store().recordOrigin(fromAlice));
    await(store().recordOrigin(fromBob));

    assertThat(await(store().findByOrigin(alice, "shared-origin"))).contains(fromAlice);
    assertThat(await(store().findByOrigin(bob, "shared-origin"))).contains(fromBob);
  }

  @Test
  void anOriginNeverRecordedIsNotFound() {
    await(store().recordOrigin(OriginRecord.of(aliceSays(ChatSeq.first(1, T0), "x"), true)));

    assertThat(await(store().findByOrigin(alice, "never-sent"))).isEmpty();
    assertThat(await(store().findByOrigin(bob, "origin-" + ChatSeq.first(1, T0)))).isEmpty();
  }

  @Test
  void storingAMessageRecordsNoOrigin() {
    StoredMessage m = stored(aliceSays(ChatSeq.first(1, T0), "no record asked for"));

    assertThat(await(store().findByOrigin(alice, m.originId().orElseThrow()))).isEmpty();
  }
}

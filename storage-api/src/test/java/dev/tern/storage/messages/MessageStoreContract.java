package dev.tern.storage.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MessageStore} must have. A test class per implementation extends
 * it and supplies the store; each test uses chats and senders of its own, so the store may be
 * shared between tests and hold other data (a real Cassandra keyspace migrated to v5 or later).
 */
public abstract class MessageStoreContract {

  /** The store under test; may return the same instance on every call. */
  protected abstract MessageStore store();

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

  private StoredMessage aliceSays(String body) {
    return await(store().append(chat, alice, bob, Optional.empty(),
        chatStanza(alice, bob, body)));
  }

  private StoredMessage aliceSays(String body, String originId) {
    return await(store().append(chat, alice, bob, Optional.of(originId),
        chatStanza(alice, bob, body)));
  }

  @Test
  void theFirstMessageOfAChatIsNumberedOneAndKeepsWhatWasAppended() {
    String xml = chatStanza(alice, bob, "Art thou not Romeo?");

    StoredMessage m = await(store().append(chat, alice, bob, Optional.of("origin-1"), xml));

    assertThat(m.chat()).isEqualTo(chat);
    assertThat(m.seq()).isEqualTo(1);
    assertThat(m.sender()).isEqualTo(alice);
    assertThat(m.recipient()).isEqualTo(bob);
    assertThat(m.originId()).contains("origin-1");
    assertThat(m.stanzaXml()).isEqualTo(xml);
    assertThat(UUID.fromString(m.stanzaId()).toString()).isEqualTo(m.stanzaId());
    assertThat(await(store().find(chat, 1))).contains(m);
  }

  @Test
  void eachNewMessageTakesTheNextNumberWhoeverSendsIt() {
    StoredMessage first = aliceSays("one");
    StoredMessage second = await(store().append(chat, bob, alice, Optional.empty(),
        chatStanza(bob, alice, "two")));
    StoredMessage third = aliceSays("three");

    assertThat(List.of(first.seq(), second.seq(), third.seq())).containsExactly(1L, 2L, 3L);
    assertThat(List.of(first.stanzaId(), second.stanzaId(), third.stanzaId()))
        .doesNotHaveDuplicates();
    assertThat(second.storedAt()).isAfterOrEqualTo(first.storedAt());
    assertThat(third.storedAt()).isAfterOrEqualTo(second.storedAt());
  }

  @Test
  void chatsAreNumberedIndependently() {
    ChatId other = ChatId.direct(alice, uniqueJid("carol"));
    aliceSays("one");
    aliceSays("two");

    StoredMessage elsewhere = await(store().append(other, alice, "carol@example.com",
        Optional.empty(), "<message/>"));

    assertThat(elsewhere.seq()).isEqualTo(1);
    assertThat(await(store().find(other, 2))).isEmpty();
  }

  @Test
  void twentyConcurrentAppendsToOneChatGetTwentyDistinctNumbersInOneOrder() throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(20);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<CompletableFuture<StoredMessage>> appends = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String body = "message " + i;
        appends.add(CompletableFuture.supplyAsync(() -> {
          awaitLatch(start);
          return await(store().append(chat, alice, bob, Optional.empty(),
              chatStanza(alice, bob, body)));
        }, senders));
      }
      start.countDown();
      List<Long> numbers = appends.stream().map(f -> await(f).seq()).sorted().toList();

      // Monotonic and never shared; a number can be skipped (a proposal whose outcome was
      // unknown and that was overtaken), never handed out twice.
      assertThat(numbers).doesNotHaveDuplicates().allSatisfy(n -> assertThat(n).isPositive());
      assertThat(await(store().history(chat, 0, 100))).extracting(StoredMessage::seq)
          .containsExactlyElementsOf(numbers);
    } finally {
      senders.shutdownNow();
    }
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aResendWithTheSameOriginIdIsStoredOnceAndAnsweredWithTheOriginal() {
    StoredMessage original = aliceSays("Wherefore art thou?", "de305d54");

    StoredMessage resent = aliceSays("Wherefore art thou? (resent)", "de305d54");

    assertThat(resent).isEqualTo(original);
    assertThat(await(store().history(chat, 0, 10))).containsExactly(original);
    assertThat(aliceSays("next").seq()).isEqualTo(2);
  }

  @Test
  void concurrentCopiesOfOneMessageAreStoredOnce() throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<CompletableFuture<StoredMessage>> copies = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        copies.add(CompletableFuture.supplyAsync(() -> {
          awaitLatch(start);
          return aliceSays("only once", "race-origin");
        }, senders));
      }
      start.countDown();
      List<StoredMessage> answers = copies.stream().map(MessageStoreContract::await).toList();

      assertThat(answers).allSatisfy(m -> assertThat(m).isEqualTo(answers.get(0)));
      assertThat(await(store().history(chat, 0, 100))).containsExactly(answers.get(0));
    } finally {
      senders.shutdownNow();
    }
  }

  @Test
  void differentSendersMayUseTheSameOriginId() {
    StoredMessage fromAlice = aliceSays("hi", "shared-origin");
    StoredMessage fromBob = await(store().append(chat, bob, alice, Optional.of("shared-origin"),
        chatStanza(bob, alice, "hi")));

    assertThat(fromBob.seq()).isEqualTo(fromAlice.seq() + 1);
    assertThat(fromBob.stanzaId()).isNotEqualTo(fromAlice.stanzaId());
    assertThat(fromBob.sender()).isEqualTo(bob);
  }

  @Test
  void messagesWithoutOriginIdAreNeverTakenForResends() {
    StoredMessage first = aliceSays("same text");
    StoredMessage second = aliceSays("same text");

    assertThat(second.seq()).isEqualTo(first.seq() + 1);
    assertThat(second.stanzaId()).isNotEqualTo(first.stanzaId());
  }

  @Test
  void historyPagesThroughAChatInAscendingOrder() {
    List<StoredMessage> sent = IntStream.rangeClosed(1, 7)
        .mapToObj(i -> aliceSays("message " + i)).toList();

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
  void historyStartsAfterTheGivenNumber() {
    List<StoredMessage> sent = IntStream.rangeClosed(1, 4)
        .mapToObj(i -> aliceSays("message " + i)).toList();

    assertThat(await(store().history(chat, 2, 10))).containsExactly(sent.get(2), sent.get(3));
  }

  @Test
  void anUnknownChatHasNoHistoryAndNoMessages() {
    assertThat(await(store().history(chat, 0, 10))).isEmpty();
    assertThat(await(store().find(chat, 1))).isEmpty();
  }

  @Test
  void findAnswersOnlyForNumbersThatWereStored() {
    StoredMessage m = aliceSays("one");

    assertThat(await(store().find(chat, 1))).contains(m);
    assertThat(await(store().find(chat, 2))).isEmpty();
    assertThat(await(store().find(chat, 0))).isEmpty();
  }

  @Test
  void aStoredMessageIsFoundByItsSendersOriginIdOnly() {
    StoredMessage stored = await(store().append(chat, alice, bob, Optional.of("origin-find"),
        chatStanza(alice, bob, "find me")));

    assertThat(await(store().findByOrigin(alice, "origin-find"))).contains(stored);
    assertThat(await(store().findByOrigin(bob, "origin-find"))).isEmpty();
    assertThat(await(store().findByOrigin(alice, "never-sent"))).isEmpty();
  }
}

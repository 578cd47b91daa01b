package dev.tern.router.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.InMemoryAccountStore;
import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.InMemoryUnreadQueue;
import dev.tern.storage.messages.StoredMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccountsUnreadQueueTest {

  private static final String ALICE = "alice@localhost";
  private static final ChatId CHAT = ChatId.direct("bob@localhost", ALICE);
  private static final Instant CREATED = Instant.parse("2026-12-07T10:00:00Z");

  private final InMemoryAccountStore accounts = new InMemoryAccountStore();
  private final InMemoryUnreadQueue stored = new InMemoryUnreadQueue();
  private final AccountsUnreadQueue queue =
      new AccountsUnreadQueue(stored, new KnownAccounts(accounts, Clock.systemUTC()));

  private static StoredMessage at(long seq, Instant storedAt) {
    return new StoredMessage(CHAT, seq, "sid-" + seq, "bob@localhost", ALICE, Optional.empty(),
        "<message/>", storedAt);
  }

  private void queued(StoredMessage... messages) {
    for (StoredMessage m : messages) {
      stored.add(ALICE, m).toCompletableFuture().join();
    }
  }

  private void registered() {
    accounts.create(new Account("alice", CREATED, Map.of())).toCompletableFuture().join();
  }

  @Test
  void messagesStoredBeforeTheAccountWasCreatedAreLeftOutAndRemoved() {
    registered();
    queued(at(1, CREATED.minusSeconds(5)), at(2, CREATED.minusMillis(1)),
        at(3, CREATED.plusMillis(1)));

    assertThat(queue.peek(ALICE, 10).toCompletableFuture().join())
        .extracting(StoredMessage::seq).containsExactly(3L);
    assertThat(stored.peek(ALICE, 10).toCompletableFuture().join())
        .extracting(StoredMessage::seq).as("the older ones are gone").containsExactly(3L);
  }

  @Test
  void aFullPageOfOlderMessagesIsReadPast() {
    registered();
    queued(at(1, CREATED.minusSeconds(3)), at(2, CREATED.minusSeconds(2)),
        at(3, CREATED.plusSeconds(1)), at(4, CREATED.plusSeconds(2)));

    // A short page would mean the end of the queue (UnreadQueue): the reader must not stop here.
    List<StoredMessage> page = queue.peek(ALICE, 2).toCompletableFuture().join();

    assertThat(page).extracting(StoredMessage::seq).containsExactly(3L, 4L);
  }

  @Test
  void laterPagesAreFilteredToo() {
    registered();
    queued(at(1, CREATED.minusSeconds(4)), at(2, CREATED.minusSeconds(3)),
        at(3, CREATED.plusSeconds(1)));

    List<StoredMessage> page = queue.peekAfter(ALICE, CREATED.minusSeconds(4), CHAT, 1, 10)
        .toCompletableFuture().join();

    assertThat(page).extracting(StoredMessage::seq).containsExactly(3L);
  }

  @Test
  void aNameWithNoAccountReadsNothing() {
    queued(at(1, CREATED));

    assertThat(queue.peek(ALICE, 10).toCompletableFuture().join()).isEmpty();
  }
}

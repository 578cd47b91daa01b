package dev.tern.router.accounts;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.StoredMessage;
import dev.tern.storage.messages.UnreadQueue;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link UnreadQueue} in which an account's queue starts when the account was created. A
 * message accepted for a name while its account was being removed can be queued after the
 * removal emptied the queue; an account registered later under that name does not get it: the
 * entries stored before the account's creation are left out as they are read, and removed. (The
 * archive draws the same line: {@code MamArchive}.) A name with no account reads nothing.
 */
public final class AccountsUnreadQueue implements UnreadQueue {

  private static final Logger log = LoggerFactory.getLogger(AccountsUnreadQueue.class);

  private final UnreadQueue queue;
  private final KnownAccounts accounts;

  public AccountsUnreadQueue(UnreadQueue queue, KnownAccounts accounts) {
    this.queue = requireNonNull(queue, "queue");
    this.accounts = requireNonNull(accounts, "accounts");
  }

  @Override
  public CompletionStage<Void> add(String user, StoredMessage m) {
    return queue.add(user, m);
  }

  @Override
  public CompletionStage<List<StoredMessage>> peek(String user, int limit) {
    return since(user).thenCompose(created -> queue.peek(user, limit)
        .thenCompose(page -> fromCreation(user, created, page, limit)));
  }

  @Override
  public CompletionStage<List<StoredMessage>> peekAfter(String user, Instant storedAt, ChatId chat,
      long seq, int limit) {
    return since(user).thenCompose(created -> queue.peekAfter(user, storedAt, chat, seq, limit)
        .thenCompose(page -> fromCreation(user, created, page, limit)));
  }

  @Override
  public CompletionStage<Void> remove(String user, ChatId chat, long seq) {
    return queue.remove(user, chat, seq);
  }

  /** When {@code user}'s account was created; the end of time for a user with none. */
  private CompletionStage<Instant> since(String user) {
    return KnownAccounts.usernameOf(user)
        .map(name -> accounts.createdAt(name).thenApply(a -> a.orElse(Instant.MAX)))
        .orElse(CompletableFuture.completedFuture(Instant.EPOCH));
  }

  /**
   * {@code page} without its entries stored before {@code created} (the queue is in the order
   * messages were stored, so they come first), which are removed; read on past a page of nothing
   * else.
   */
  private CompletionStage<List<StoredMessage>> fromCreation(String user, Instant created,
      List<StoredMessage> page, int limit) {
    if (created.equals(Instant.MAX)) {
      return CompletableFuture.completedFuture(List.of()); // no account (the removal empties it)
    }
    List<StoredMessage> older = page.stream().filter(m -> m.storedAt().isBefore(created)).toList();
    if (older.isEmpty()) {
      return CompletableFuture.completedFuture(page);
    }
    log.info("{} unread messages of {} stored before its account was created are dropped",
        older.size(), user);
    older.forEach(m -> queue.remove(user, m.chat(), m.seq()));
    List<StoredMessage> rest = page.stream().filter(m -> !m.storedAt().isBefore(created)).toList();
    if (!rest.isEmpty() || page.size() < limit) {
      return CompletableFuture.completedFuture(rest);
    }
    StoredMessage last = page.get(page.size() - 1);
    return queue.peekAfter(user, last.storedAt(), last.chat(), last.seq(), limit)
        .thenCompose(next -> fromCreation(user, created, next, limit));
  }
}

package dev.tern.storage.messages;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Each user's messages that no device of theirs has acknowledged yet (offline messages): a
 * message waits here from when it is stored until a device acknowledges it.
 *
 * <p>The queue is ordered by {@link StoredMessage#storedAt()}, then chat, then seq. Because a
 * chat's {@code storedAt} never decreases with its seq, the messages of one chat come strictly
 * in seq order; across chats, oldest first.
 *
 * <p>A queue may hold references to the messages rather than copies: a message is to be
 * {@linkplain MessageStore#store stored} before it is added, and a queued message that is no
 * longer stored (expired by retention) is left out of {@link #peek} and {@link #peekAfter},
 * which read on past it, so a batch shorter than its limit still means the end of the queue.
 */
public interface UnreadQueue {

  /**
   * Queues {@code m}, already stored, for {@code user} (normally its recipient); adding it again
   * changes nothing.
   */
  CompletionStage<Void> add(String user, StoredMessage m);

  /** The first {@code limit} messages of the user's queue, leaving them queued. */
  CompletionStage<List<StoredMessage>> peek(String user, int limit);

  /**
   * Takes the chat's message {@code seq} out of the user's queue, once a device acknowledged it;
   * removing a message that is not queued is no error.
   */
  CompletionStage<Void> remove(String user, ChatId chat, long seq);

  /**
   * The entries after the one at ({@code storedAt}, {@code chat}, {@code seq}) in queue order:
   * the next batch for a device still acknowledging the previous one.
   */
  CompletionStage<List<StoredMessage>> peekAfter(String user, java.time.Instant storedAt,
      ChatId chat, long seq, int limit);
}

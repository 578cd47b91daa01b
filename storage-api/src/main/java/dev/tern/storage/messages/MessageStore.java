package dev.tern.storage.messages;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The history of every chat, each message numbered by its chat's sequence.
 *
 * <p>Numbers come from the chat's one sequencer (the router holding its shard's lease), never
 * from the store: the store writes what it is given with plain, idempotent writes, so writing a
 * message again after a failure is harmless. The router acknowledges a message to its sender
 * only when {@link #store} has completed: an acknowledged message is durable. Every operation is
 * asynchronous; a stage completes exceptionally when the back-end could not answer, and then the
 * write may or may not have happened.
 */
public interface MessageStore {

  /** Writes {@code m} under its chat and seq; writing the same message again changes nothing. */
  CompletionStage<Void> store(StoredMessage m);

  /**
   * Writes what {@code record}'s origin-id was stored as (kept 30 days, how long a resend is
   * recognised); writing it again, e.g. to mark it complete, replaces it.
   */
  CompletionStage<Void> recordOrigin(OriginRecord record);

  /** What {@code sender} stored with {@code originId}, if it is still recorded (XEP-0359). */
  CompletionStage<Optional<OriginRecord>> findByOrigin(String sender, String originId);

  /**
   * Up to {@code limit} messages of the chat numbered above {@code afterSeq}, lowest first;
   * {@code afterSeq} 0 starts at the beginning. To page, pass the last seq of one page as the
   * next page's {@code afterSeq}; an empty list means there is nothing newer.
   */
  CompletionStage<List<StoredMessage>> history(ChatId chat, long afterSeq, int limit);

  /** The chat's message numbered {@code seq}, if there is one. */
  CompletionStage<Optional<StoredMessage>> find(ChatId chat, long seq);

  /** Throws unless {@code afterSeq} and {@code limit} make a page. */
  static void checkPage(long afterSeq, int limit) {
    if (afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq: must not be negative, was " + afterSeq);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit: must be at least 1, was " + limit);
    }
  }
}

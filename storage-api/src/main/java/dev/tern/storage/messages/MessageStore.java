package dev.tern.storage.messages;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The history of every chat, each message numbered by its chat's sequence.
 *
 * <p>The router persists a message with {@link #append} and acknowledges it to the sender only
 * when the stage completes: an acknowledged message is durable. Every operation is asynchronous;
 * a stage completes exceptionally when the back-end could not answer, and then the message may
 * or may not have been stored, so the sender resends it and the origin-id dedupe settles it.
 */
public interface MessageStore {

  /**
   * Allocates the chat's next sequence number and stores the message under it, completing only
   * once it is durable.
   *
   * <p>If {@code originId} is present and this sender has already stored a message with that
   * origin-id (XEP-0359 §4), nothing new is stored and the stage completes with the original
   * message: same chat, seq and stanza-id, and the original stanza, whatever the resend carries.
   * That holds when the two appends race and after a failure part-way through the first one.
   * Different senders may use the same origin-id.
   *
   * @param sender the sender's bare JID
   * @param recipient the recipient's bare JID
   * @param stanzaXml the stanza as it is to be delivered
   */
  CompletionStage<StoredMessage> append(ChatId chat, String sender, String recipient,
      Optional<String> originId, String stanzaXml);

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

  /**
   * The message {@code sender} already stored with {@code originId}, if any (XEP-0359): lets a
   * router answer a resend without delivering it again. Two resends racing may both miss it;
   * {@link #append} still stores the message once.
   */
  CompletionStage<Optional<StoredMessage>> findByOrigin(String sender, String originId);
}

package dev.tern.storage.receipts;

import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.StoredMessage;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Receipt status of stored 1:1 messages (XEP-0184, XEP-0333), read by the chat and seq of the
 * message like the message itself.
 *
 * <p>A receipt names the message it acknowledges by an id the sender chose or the server gave:
 * the message's {@code id} attribute (XEP-0184 §4), its origin-id or its stanza-id (XEP-0333 §5
 * lets a client use either, XEP-0359). {@link #index} records all of them when the message is
 * stored, so that {@link #find} resolves any of them within the chat and sender; a later message
 * of the same sender in the same chat that reuses an id takes the id over.
 */
public interface ReceiptStore {

  /**
   * Records the ids {@code m} can be named by (its stanza-id, its origin-id, and
   * {@code clientId}, the stanza's {@code id} attribute); writing them again changes nothing.
   */
  CompletionStage<Void> index(StoredMessage m, Optional<String> clientId);

  /** The seq of the message {@code sender} sent in {@code chat} that {@code ref} names. */
  CompletionStage<Optional<Long>> find(ChatId chat, String sender, String ref);

  /**
   * The message reached {@code state} at {@code at}; stamps already recorded stay (status only
   * moves forward, and a later state implies the earlier ones). Completes with the status after.
   *
   * @param state {@link ReceiptState#DELIVERED} or later
   */
  CompletionStage<ReceiptStatus> advance(ChatId chat, long seq, ReceiptState state, Instant at);

  /** The message's status; {@link ReceiptStatus#SENT} when no receipt named it. */
  CompletionStage<ReceiptStatus> status(ChatId chat, long seq);

  /** Throws unless {@code state} is one a receipt can record. */
  static void checkRecordable(ReceiptState state) {
    if (state == ReceiptState.SENT) {
      throw new IllegalArgumentException("state: a receipt records delivered or later, not sent");
    }
  }
}

package dev.tern.storage.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A message as persisted, before it was acknowledged to its sender.
 *
 * @param chat the conversation it belongs to
 * @param seq its place in the chat ({@link ChatSeq}), handed out by the chat's one sequencer
 *     when it was persisted: within a chat no two messages share a number, and a later number
 *     means a later message (FIFO per chat). Numbers increase but are not dense
 * @param stanzaId the stanza-id the server gave it (XEP-0359 §3), a random UUID
 * @param sender the sender's bare JID
 * @param recipient the recipient's bare JID
 * @param originId the sender's origin-id (XEP-0359 §4), by which a resend is recognised
 * @param stanzaXml the stanza as it is to be delivered
 * @param storedAt when it was persisted, to the millisecond: the time bits of its seq, so
 *     ordering a chat's messages by it never contradicts {@code seq}. Informative only: order
 *     comes from {@code seq}, not from clocks
 */
public record StoredMessage(ChatId chat, long seq, String stanzaId, String sender,
    String recipient, Optional<String> originId, String stanzaXml, Instant storedAt) {

  public StoredMessage {
    requireNonNull(chat, "chat");
    requireNonNull(stanzaId, "stanzaId");
    requireNonNull(sender, "sender");
    requireNonNull(recipient, "recipient");
    requireNonNull(originId, "originId");
    requireNonNull(stanzaXml, "stanzaXml");
    storedAt = requireNonNull(storedAt, "storedAt").truncatedTo(ChronoUnit.MILLIS);
    if (seq < 1) {
      throw new IllegalArgumentException("seq: must be at least 1, was " + seq);
    }
  }
}

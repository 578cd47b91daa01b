package dev.tern.storage.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a sender's origin-id (XEP-0359 §4) was stored as: written before the message itself, so
 * a resend finds the number and stanza-id its first attempt got, and marked complete once the
 * message, its unread entry, archive and receipt index are all written.
 *
 * @param complete whether every write of the first attempt is known to have succeeded; if not,
 *     a resend writes them again (each is idempotent) before it is acknowledged
 */
public record OriginRecord(String sender, String originId, ChatId chat, long seq,
    String stanzaId, String recipient, Instant storedAt, boolean complete) {

  public OriginRecord {
    requireNonNull(sender, "sender");
    requireNonNull(originId, "originId");
    requireNonNull(chat, "chat");
    requireNonNull(stanzaId, "stanzaId");
    requireNonNull(recipient, "recipient");
    storedAt = requireNonNull(storedAt, "storedAt").truncatedTo(ChronoUnit.MILLIS);
  }

  /** The record of a message about to be stored. */
  public static OriginRecord of(StoredMessage m, boolean complete) {
    return new OriginRecord(m.sender(), m.originId().orElseThrow(
            () -> new IllegalArgumentException("message without origin-id")), m.chat(), m.seq(),
        m.stanzaId(), m.recipient(), m.storedAt(), complete);
  }

  /** The message as its first attempt stored it, with {@code stanzaXml} as its stanza. */
  public StoredMessage message(String stanzaXml) {
    return new StoredMessage(chat, seq, stanzaId, sender, recipient,
        java.util.Optional.of(originId), stanzaXml, storedAt);
  }
}

package dev.tern.storage.archive;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.messages.StoredMessage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;

/**
 * A place in a user's archive: the archive's order is {@code storedAt}, then {@code chat}, then
 * {@code seq}. Within one chat this is the chat's seq order, because a chat's {@code storedAt}
 * never decreases as its seq grows (see {@link StoredMessage#storedAt()}); across chats it is the
 * time the messages were stored.
 *
 * <p>A position need not be a message's: {@link #startOf(Instant)} and {@link #endOf(Instant)} are
 * bounds between messages ({@code chat} empty sorts before every chat).
 *
 * @param storedAt to the millisecond
 * @param chat the chat's key, or empty for a bound
 * @param seq the message's number in its chat, 0 for a bound
 */
public record ArchivePosition(Instant storedAt, String chat, long seq)
    implements Comparable<ArchivePosition> {

  private static final Comparator<ArchivePosition> ORDER =
      Comparator.comparing(ArchivePosition::storedAt)
          .thenComparing(ArchivePosition::chat)
          .thenComparingLong(ArchivePosition::seq);

  /** Below every message. */
  public static final ArchivePosition FIRST = new ArchivePosition(Instant.EPOCH, "", 0);

  /** Above every message (year 9999). */
  public static final ArchivePosition LAST =
      new ArchivePosition(Instant.parse("9999-12-31T00:00:00Z"), "", 0);

  public ArchivePosition {
    storedAt = requireNonNull(storedAt, "storedAt").truncatedTo(ChronoUnit.MILLIS);
    requireNonNull(chat, "chat");
    if (seq < 0) {
      throw new IllegalArgumentException("seq: must not be negative, was " + seq);
    }
  }

  /** The message's position. */
  public static ArchivePosition of(StoredMessage m) {
    return new ArchivePosition(m.storedAt(), m.chat().value(), m.seq());
  }

  /** Just below every message stored at {@code t} or later: an exclusive lower bound. */
  public static ArchivePosition startOf(Instant t) {
    return new ArchivePosition(clamp(t), "", 0);
  }

  /** Just above every message stored at {@code t} or earlier: an exclusive upper bound. */
  public static ArchivePosition endOf(Instant t) {
    Instant ms = clamp(t).truncatedTo(ChronoUnit.MILLIS);
    return ms.isBefore(LAST.storedAt()) ? new ArchivePosition(ms.plusMillis(1), "", 0) : LAST;
  }

  private static Instant clamp(Instant t) {
    requireNonNull(t, "t");
    return t.isBefore(FIRST.storedAt()) ? FIRST.storedAt()
        : t.isAfter(LAST.storedAt()) ? LAST.storedAt() : t;
  }

  @Override
  public int compareTo(ArchivePosition other) {
    return ORDER.compare(this, other);
  }

  /** The larger of two positions. */
  public static ArchivePosition max(ArchivePosition a, ArchivePosition b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** The smaller of two positions. */
  public static ArchivePosition min(ArchivePosition a, ArchivePosition b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}

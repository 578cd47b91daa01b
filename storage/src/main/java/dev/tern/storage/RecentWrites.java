package dev.tern.storage;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows a store wrote lately that many writes would otherwise write again with the same
 * values (a chat's {@code chat_buckets} row, a user's {@code archive_periods} rows), so that they
 * are written once per {@code rewriteAfter} rather than once per message.
 *
 * <p>A row counts as written from the moment its write was sent (the time given to
 * {@link #written}), and only for {@code rewriteAfter}: every write that relies on the row is
 * then covered by a write of the row sent at most {@code rewriteAfter} before its own, which the
 * row's TTL must allow for (its TTL is the data's plus a margin longer than
 * {@code rewriteAfter}). At most {@code capacity} rows are remembered, the least recently used
 * forgotten first; forgetting one only costs writing it again.
 *
 * @param <K> what names a row, a record of its key columns
 */
public final class RecentWrites<K> {

  private final Clock clock;
  private final long rewriteAfterMillis;
  private final Map<K, Long> writtenAt;

  public RecentWrites(int capacity, Duration rewriteAfter, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: must be at least 1, was " + capacity);
    }
    if (requireNonNull(rewriteAfter, "rewriteAfter").isNegative()) {
      throw new IllegalArgumentException("rewriteAfter: must not be negative: " + rewriteAfter);
    }
    this.clock = requireNonNull(clock, "clock");
    this.rewriteAfterMillis = rewriteAfter.toMillis();
    this.writtenAt = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Long> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The time to pass to {@link #written} once a write sent now has succeeded. */
  public long now() {
    return clock.millis();
  }

  /** Whether the row was written recently enough not to be written again. */
  public synchronized boolean fresh(K row) {
    Long at = writtenAt.get(requireNonNull(row, "row"));
    return at != null && clock.millis() - at < rewriteAfterMillis;
  }

  /** Remembers that a write of the row, sent at {@code sentAt}, succeeded. */
  public synchronized void written(K row, long sentAt) {
    writtenAt.merge(requireNonNull(row, "row"), sentAt, Math::max);
  }

  synchronized int size() {
    return writtenAt.size();
  }
}

package dev.tern.storage.messages;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code chat_buckets} rows this store wrote lately, so that a chat's messages write their
 * bucket's row once per {@code rewriteAfter} rather than once per message.
 *
 * <p>A row counts as written from the moment its write was sent (the time given to
 * {@link #written}), and only for {@code rewriteAfter}: every message is then covered by a write
 * of its bucket's row sent at most {@code rewriteAfter} before the message's own, which the row's
 * TTL allows for. At most {@code capacity} rows are remembered, the least recently used forgotten
 * first; forgetting one only costs writing it again.
 */
final class RecentBuckets {

  private record Key(String chat, long bucket) {}

  private final Clock clock;
  private final long rewriteAfterMillis;
  private final Map<Key, Long> writtenAt;

  RecentBuckets(int capacity, Duration rewriteAfter, Clock clock) {
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
      protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The time to pass to {@link #written} once a write sent now has succeeded. */
  long now() {
    return clock.millis();
  }

  /** Whether the chat's bucket row was written recently enough not to be written again. */
  synchronized boolean fresh(ChatId chat, long bucket) {
    Long at = writtenAt.get(new Key(chat.value(), bucket));
    return at != null && clock.millis() - at < rewriteAfterMillis;
  }

  /** Remembers that a write of the chat's bucket row, sent at {@code sentAt}, succeeded. */
  synchronized void written(ChatId chat, long bucket, long sentAt) {
    writtenAt.merge(new Key(chat.value(), bucket), sentAt, Math::max);
  }

  synchronized int size() {
    return writtenAt.size();
  }
}

package dev.tern.storage.messages;

import java.time.Instant;

/**
 * How a chat's sequence numbers are made. A number is 63 bits:
 *
 * <pre>
 *   [ epoch: 15 bits ][ milliseconds since 2020-01-01T00:00Z: 41 bits ][ within the ms: 7 bits ]
 * </pre>
 *
 * The epoch is the fencing token of the lease under which the number was handed out, so every
 * number of a later lease is above every number of an earlier one, whatever the two owners'
 * clocks say and whether or not the earlier owner's last writes had reached the later owner's
 * region. Within a lease the owner hands out strictly increasing numbers (at most 128 per
 * millisecond, borrowing from the next millisecond beyond that). Numbers are unique and
 * increasing within a chat, not dense: a chat's next number is usually far above its last.
 */
public final class ChatSeq {

  /** 2020-01-01T00:00:00Z, the zero of the time bits. */
  public static final long TIME_ZERO_MILLIS = 1_577_836_800_000L;
  static final int SUB_BITS = 7;
  static final int TIME_BITS = 41;
  /** The largest epoch a number can carry. */
  public static final long MAX_EPOCH = (1L << (63 - TIME_BITS - SUB_BITS)) - 1;
  /** A chat_messages partition holds the numbers sharing the bits above these (about 6 days). */
  static final int BUCKET_SHIFT = 36;

  private ChatSeq() {}

  /** The first number of {@code epoch} at {@code millis} (epoch milliseconds). */
  public static long first(long epoch, long millis) {
    if (epoch < 1 || epoch > MAX_EPOCH) {
      throw new IllegalArgumentException("epoch out of range: " + epoch);
    }
    long t = Math.max(0, millis - TIME_ZERO_MILLIS);
    if (t >= 1L << TIME_BITS) {
      throw new IllegalArgumentException("time out of range: " + millis);
    }
    return (epoch << (TIME_BITS + SUB_BITS)) | (t << SUB_BITS);
  }

  /**
   * The number after {@code last} for a message at {@code millis}: above {@code last}, in the
   * same epoch, at {@code millis} unless {@code last} is already there or later.
   */
  public static long next(long last, long millis) {
    return Math.max(last + 1, first(epoch(last), millis));
  }

  public static long epoch(long seq) {
    return seq >>> (TIME_BITS + SUB_BITS);
  }

  /** The time a number was handed out at, to the millisecond, by its owner's clock. */
  public static Instant time(long seq) {
    return Instant.ofEpochMilli(TIME_ZERO_MILLIS + ((seq >>> SUB_BITS) & ((1L << TIME_BITS) - 1)));
  }

  /** The {@code chat_messages} partition (with the chat) that holds {@code seq}. */
  public static long bucket(long seq) {
    return seq >>> BUCKET_SHIFT;
  }
}

package dev.tern.storage.receipts;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A message's receipt stamps: when it first reached each {@link ReceiptState} past
 * {@link ReceiptState#SENT}. A later state always has the earlier stamps too (displayed implies
 * delivered), each to the millisecond.
 */
public record ReceiptStatus(Optional<Instant> delivered, Optional<Instant> displayed,
    Optional<Instant> acknowledged) {

  /** A stored message no receipt has named yet. */
  public static final ReceiptStatus SENT =
      new ReceiptStatus(Optional.empty(), Optional.empty(), Optional.empty());

  public ReceiptStatus {
    delivered = requireNonNull(delivered, "delivered").map(ReceiptStatus::millis);
    displayed = requireNonNull(displayed, "displayed").map(ReceiptStatus::millis);
    acknowledged = requireNonNull(acknowledged, "acknowledged").map(ReceiptStatus::millis);
  }

  private static Instant millis(Instant at) {
    return at.truncatedTo(ChronoUnit.MILLIS);
  }

  /** The furthest state reached. */
  public ReceiptState state() {
    if (acknowledged.isPresent()) {
      return ReceiptState.ACKNOWLEDGED;
    }
    if (displayed.isPresent()) {
      return ReceiptState.DISPLAYED;
    }
    return delivered.isPresent() ? ReceiptState.DELIVERED : ReceiptState.SENT;
  }

  /** When {@code state} was reached; {@link ReceiptState#SENT} has no stamp here. */
  public Optional<Instant> stamp(ReceiptState state) {
    return switch (state) {
      case SENT -> Optional.empty();
      case DELIVERED -> delivered;
      case DISPLAYED -> displayed;
      case ACKNOWLEDGED -> acknowledged;
    };
  }

  /**
   * This status moved forward to {@code state} at {@code at}: every state up to it that has no
   * stamp yet gets {@code at}; stamps already there stay, so nothing ever moves back.
   */
  public ReceiptStatus advancedTo(ReceiptState state, Instant at) {
    requireNonNull(state, "state");
    requireNonNull(at, "at");
    return new ReceiptStatus(
        keep(delivered, state, ReceiptState.DELIVERED, at),
        keep(displayed, state, ReceiptState.DISPLAYED, at),
        keep(acknowledged, state, ReceiptState.ACKNOWLEDGED, at));
  }

  private static Optional<Instant> keep(Optional<Instant> stamp, ReceiptState reached,
      ReceiptState level, Instant at) {
    return stamp.isPresent() || reached.compareTo(level) < 0 ? stamp : Optional.of(at);
  }
}

package dev.tern.edge.session;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * New connections per client address, a token bucket each (RFC 6120 §13.12: limits on
 * connections per address): {@code burst} at once, then {@code perSecond}. A rate, not a count of
 * connections open, because a mobile carrier puts thousands of users behind one address: a
 * reconnect wave of them is a burst, a flood is a sustained rate. An address whose bucket has
 * filled up again is forgotten, so the map holds only the addresses that connected within the
 * last {@code burst / perSecond}.
 */
final class ConnectionRate {
  // Also the rate of in-band registrations per address (EdgeServices#registrationAdmitted), at a
  // fraction of one per second: the same bucket, of another event.

  private static final long NANOS = TimeUnit.SECONDS.toNanos(1);

  /** The tokens left as of {@code at} (nanoTime); changed only inside the map's compute. */
  private static final class Bucket {
    long at;
    double tokens;
  }

  private final double perSecond;
  private final int burst;
  private final LongSupplier nanoTime;
  /** How long an empty bucket takes to fill up: after that an address is forgotten. */
  private final long refillNanos;
  private final ConcurrentMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep;

  ConnectionRate(double perSecond, int burst) {
    this(perSecond, burst, System::nanoTime);
  }

  ConnectionRate(double perSecond, int burst, LongSupplier nanoTime) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("rate and burst: at least 1, were " + perSecond + ", "
          + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.refillNanos = (long) Math.ceil((double) burst / perSecond * NANOS);
    this.lastSweep = new AtomicLong(nanoTime.getAsLong());
  }

  /** Takes a token for a new connection from {@code address}; false if it has none left. */
  boolean admit(InetAddress address) {
    long now = nanoTime.getAsLong();
    sweep(now);
    boolean[] admitted = {false};
    buckets.compute(address, (a, b) -> {
      Bucket bucket = b;
      if (bucket == null) {
        bucket = new Bucket();
        bucket.tokens = burst;
      } else {
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * perSecond / NANOS);
      }
      bucket.at = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        admitted[0] = true;
      }
      return bucket;
    });
    return admitted[0];
  }

  /** How many addresses are remembered (those not yet back to a full bucket). */
  int addresses() {
    return buckets.size();
  }

  /** Once per refill time: forgets the addresses whose buckets are full again. */
  private void sweep(long now) {
    long last = lastSweep.get();
    if (now - last < refillNanos || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    for (InetAddress address : buckets.keySet()) {
      buckets.computeIfPresent(address, (a, b) -> now - b.at >= refillNanos ? null : b);
    }
  }
}

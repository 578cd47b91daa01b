package dev.tern.edge.session;

import java.net.InetAddress;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Warns about refused connections at a rate an operator can read: a flood is refused thousands of
 * times a second, so a line goes out at most once per {@code every}, saying how many refusals it
 * kept quiet since the last one.
 */
final class RefusalLog {

  private final Logger log;
  private final String what;
  private final String why;
  private final long everyNanos;
  private final LongSupplier nanoTime;
  private boolean logged;
  private long last;
  private long quiet;

  /**
   * @param what what is refused, for the log line, e.g. {@code a new connection}
   * @param why what the refused ones were over, for the log line
   */
  RefusalLog(Logger log, String what, String why, Duration every, LongSupplier nanoTime) {
    this.log = log;
    this.what = what;
    this.why = why;
    this.everyNanos = every.toNanos();
    this.nanoTime = nanoTime;
  }

  /** A connection from {@code address} was refused; true if this wrote a line. */
  boolean refused(InetAddress address) {
    long suppressed;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      if (logged && now - last < everyNanos) {
        quiet++;
        return false;
      }
      logged = true;
      last = now;
      suppressed = quiet;
      quiet = 0;
    }
    log.warn("refused {} from {}: {}{}", what, address.getHostAddress(), why,
        suppressed == 0 ? "" : " (and " + suppressed + " more since the last such line)");
    return true;
  }
}

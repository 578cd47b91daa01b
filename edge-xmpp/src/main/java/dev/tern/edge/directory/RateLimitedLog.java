package dev.tern.edge.directory;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Warns about a failure at most once per {@code every}, counting the ones it kept quiet: when
 * Redis is down every session would otherwise log its own line.
 */
final class RateLimitedLog {

  private final Logger log;
  private final Duration every;
  private final Clock clock;
  private @Nullable Instant next;
  private long quiet;

  RateLimitedLog(Logger log, Duration every, Clock clock) {
    this.log = requireNonNull(log, "log");
    this.every = requireNonNull(every, "every");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Logs {@code what} and {@code error}, unless a warning went out less than {@code every} ago. */
  void warn(String what, Throwable error) {
    long suppressed;
    synchronized (this) {
      Instant now = clock.instant();
      if (next != null && now.isBefore(next)) {
        quiet++;
        return;
      }
      next = now.plus(every);
      suppressed = quiet;
      quiet = 0;
    }
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    log.warn("global directory: {} failed: {}{}", what, cause.toString(),
        suppressed == 0 ? "" : " (" + suppressed + " more failures not logged)");
  }
}

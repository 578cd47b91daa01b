package dev.tern.directory.presence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

class InMemoryPresenceDirectoryTest extends PresenceDirectoryContract {

  /** A clock that moves only when the test says so. */
  private static final class TestClock extends Clock {
    private Instant now = Instant.parse("2025-06-01T12:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public synchronized Instant instant() {
      return now;
    }

    synchronized void advance(Duration time) {
      now = now.plus(time);
    }
  }

  private final TestClock clock = new TestClock();
  private final InMemoryPresenceDirectory store = new InMemoryPresenceDirectory(clock);

  @Override
  protected PresenceDirectory store() {
    return store;
  }

  @Override
  protected void elapse(Duration time) {
    clock.advance(time);
  }

  @Override
  protected Instant now() {
    return clock.instant();
  }
}

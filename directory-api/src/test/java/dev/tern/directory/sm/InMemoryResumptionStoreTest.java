package dev.tern.directory.sm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

class InMemoryResumptionStoreTest extends ResumptionStoreContract {

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
  private final InMemoryResumptionStore store = new InMemoryResumptionStore(clock, GRACE);

  @Override
  protected ResumptionStore store() {
    return store;
  }

  @Override
  protected ResumptionStore anotherEdge() {
    return store; // one process: both "edges" share the map
  }

  @Override
  protected void elapse(Duration time) {
    clock.advance(time);
  }
}

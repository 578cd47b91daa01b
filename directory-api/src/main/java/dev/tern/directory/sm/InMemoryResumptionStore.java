package dev.tern.directory.sm;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ResumptionStore} in one process's memory, for fast unit tests of the code that uses
 * it. It cannot outlive its edge, so the product always runs on {@code RedisResumptionStore};
 * both pass the same contract test.
 */
public final class InMemoryResumptionStore implements ResumptionStore {

  private final Clock clock;
  private final Duration liveGrace;
  private final Map<String, Entry> sessions = new HashMap<>();

  /**
   * @param clock decides expiry
   * @param liveGrace how much longer than its resume window a live session lasts after its last
   *     write
   */
  public InMemoryResumptionStore(Clock clock, Duration liveGrace) {
    this.clock = requireNonNull(clock, "clock");
    this.liveGrace = requireNonNull(liveGrace, "liveGrace");
    if (liveGrace.isNegative()) {
      throw new IllegalArgumentException("liveGrace must not be negative");
    }
  }

  private static final class Entry {
    final String owner;
    final String fullJid;
    final Duration window;
    String lease;
    long inbound;
    long acked;
    boolean carbons;
    String presence;
    boolean finishing;
    final Deque<String> unacked;
    Instant expiresAt;

    Entry(ResumableSession s, Instant expiresAt) {
      owner = s.ownerBareJid();
      fullJid = s.fullJid();
      window = s.resumeWindow();
      lease = s.lease();
      inbound = s.inboundHandled();
      acked = s.outboundAcked();
      carbons = s.carbons();
      presence = s.presence();
      unacked = new ArrayDeque<>(s.unacked());
      this.expiresAt = expiresAt;
    }
  }

  @Override
  public synchronized CompletionStage<Void> save(ResumableSession session) {
    requireNonNull(session, "session");
    Instant now = clock.instant();
    sessions.values().removeIf(e -> !now.isBefore(e.expiresAt)); // what nobody resumed
    Entry old = live(session.id());
    if (old != null && !old.lease.equals(session.lease())) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "session " + session.id() + " is held by another connection"));
    }
    sessions.put(session.id(), new Entry(session, liveUntil(session.resumeWindow())));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Optional<ResumableSession>> take(String id,
      String ownerBareJid) {
    requireNonNull(id, "id");
    requireNonNull(ownerBareJid, "ownerBareJid");
    Entry e = live(id);
    if (e == null || !e.owner.equals(ownerBareJid)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    sessions.remove(id);
    return CompletableFuture.completedFuture(Optional.of(new ResumableSession(id, e.owner,
        e.fullJid, ResumableSession.newLease(), e.inbound, e.acked, List.copyOf(e.unacked),
        e.window, e.carbons, e.presence)));
  }

  @Override
  public synchronized CompletionStage<Boolean> appendUnacked(String id, String lease,
      String stanzaXml) {
    requireNonNull(stanzaXml, "stanzaXml");
    Entry e = held(id, lease);
    if (e != null) {
      e.unacked.addLast(stanzaXml);
    }
    return CompletableFuture.completedFuture(e != null);
  }

  @Override
  public synchronized CompletionStage<Boolean> ack(String id, String lease, long h) {
    ResumableSession.checkH(h, "h");
    Entry e = held(id, lease);
    if (e != null) {
      long forward = Math.floorMod(h - e.acked, ResumableSession.H_MODULUS);
      if (forward < ResumableSession.H_MODULUS / 2) { // behind the stored h: nothing to drop
        for (long i = 0; i < forward && !e.unacked.isEmpty(); i++) {
          e.unacked.removeFirst();
        }
        e.acked = h;
      }
    }
    return CompletableFuture.completedFuture(e != null);
  }

  @Override
  public synchronized CompletionStage<Boolean> handled(String id, String lease,
      long inboundHandled) {
    ResumableSession.checkH(inboundHandled, "inboundHandled");
    Entry e = held(id, lease);
    if (e != null) {
      e.inbound = inboundHandled;
    }
    return CompletableFuture.completedFuture(e != null);
  }

  @Override
  public synchronized CompletionStage<Boolean> sessionState(String id, String lease,
      boolean carbons, String presence) {
    requireNonNull(presence, "presence");
    Entry e = held(id, lease);
    if (e != null) {
      e.carbons = carbons;
      e.presence = presence;
    }
    return CompletableFuture.completedFuture(e != null);
  }

  @Override
  public synchronized CompletionStage<Boolean> refresh(String id, String lease) {
    return CompletableFuture.completedFuture(held(id, lease) != null);
  }

  @Override
  public synchronized CompletionStage<Boolean> detach(String id, String lease) {
    Entry e = held(id, lease);
    if (e != null) {
      e.lease = "";
      e.finishing = false;
      e.expiresAt = clock.instant().plus(e.window);
    }
    return CompletableFuture.completedFuture(e != null);
  }

  @Override
  public synchronized CompletionStage<Boolean> finishing(String id, String lease) {
    Entry e = held(id, lease);
    if (e != null) {
      e.finishing = true;
    }
    return CompletableFuture.completedFuture(e != null);
  }

  @Override
  public synchronized CompletionStage<Boolean> isFinishing(String id) {
    Entry e = sessions.get(requireNonNull(id, "id"));
    return CompletableFuture.completedFuture(e != null && e.finishing);
  }

  @Override
  public synchronized CompletionStage<Void> remove(String id, String lease) {
    if (held(id, lease) != null) {
      sessions.remove(id);
    }
    return CompletableFuture.completedFuture(null);
  }

  /** The session held by {@code lease}, its expiry pushed back as every write does; or null. */
  private @Nullable Entry held(String id, String lease) {
    requireNonNull(id, "id");
    requireNonNull(lease, "lease");
    Entry e = live(id);
    if (e == null || lease.isEmpty() || !e.lease.equals(lease)) {
      return null;
    }
    e.expiresAt = liveUntil(e.window);
    return e;
  }

  private @Nullable Entry live(String id) {
    Entry e = sessions.get(id);
    if (e != null && !clock.instant().isBefore(e.expiresAt)) {
      sessions.remove(id);
      return null;
    }
    return e;
  }

  private Instant liveUntil(Duration window) {
    return clock.instant().plus(window).plus(liveGrace);
  }
}

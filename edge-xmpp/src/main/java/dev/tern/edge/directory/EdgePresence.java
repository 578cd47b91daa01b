package dev.tern.edge.directory;

import static java.util.Objects.requireNonNull;

import dev.tern.directory.presence.PresenceDirectory;
import dev.tern.directory.presence.PresenceTiming;
import dev.tern.directory.presence.Registration;
import dev.tern.xmpp.jid.Jid;
import dev.tern.edge.session.SessionListener;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global directory told where this edge's users are: a bound resource is registered
 * under this edge's id, removed when its session ends, and the edge heartbeats every
 * {@code heartbeat} with the directory's TTL, so that if this process dies without a word all
 * its entries vanish within one TTL (docs/design/directory.md).
 *
 * <p>Soft state: every call returns at once, and a failure is logged (at most once per 30 s),
 * never thrown into a session.
 */
public final class EdgePresence implements SessionListener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EdgePresence.class);

  private final PresenceDirectory directory;
  private final String region;
  private final String edgeId;
  private final PresenceTiming settings;
  private final Clock clock;
  private final RateLimitedLog failures;
  private final ScheduledExecutorService timer;
  /** The registration of each full JID bound on this edge, by the session that bound it. */
  private final ConcurrentMap<Jid, Bound> bound = new ConcurrentHashMap<>();

  /** A session's registration; its removal waits for its registration to reach the directory. */
  private record Bound(Object session, Registration registration,
      CompletableFuture<Void> registered) {}

  EdgePresence(PresenceDirectory directory, String region, String edgeId,
      PresenceTiming settings, Clock clock) {
    this.directory = requireNonNull(directory, "directory");
    this.region = requireNonNull(region, "region");
    this.edgeId = requireNonNull(edgeId, "edgeId");
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    this.failures = new RateLimitedLog(log, Duration.ofSeconds(30), clock);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tern-directory-heartbeat");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Heartbeats once (waiting up to {@code wait}, so that the first sessions are visible at once;
   * a directory that does not answer is logged, not fatal), then every {@code heartbeat}.
   */
  public static EdgePresence start(PresenceDirectory directory, String region,
      PresenceTiming settings, Duration wait) {
    EdgePresence presence = new EdgePresence(directory, region, newEdgeId(region), settings,
        Clock.systemUTC());
    try {
      presence.beat().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      presence.failures.warn("the first heartbeat of edge " + presence.edgeId, e);
    }
    long every = settings.heartbeat().toMillis();
    presence.timer.scheduleAtFixedRate(presence::beat, every, every, TimeUnit.MILLISECONDS);
    log.info("edge {} heartbeats to the global directory every {} (TTL {})", presence.edgeId,
        settings.heartbeat(), settings.ttl());
    return presence;
  }

  /** {@code <region>-edge-<pid>-<random>}: names the process for operators, unique per start. */
  static String newEdgeId(String region) {
    byte[] random = new byte[3];
    ThreadLocalRandom.current().nextBytes(random);
    return region + "-edge-" + ProcessHandle.current().pid() + "-"
        + HexFormat.of().formatHex(random);
  }

  /** This edge process's id in the directory. */
  public String edgeId() {
    return edgeId;
  }

  CompletableFuture<Void> beat() {
    return guard("the heartbeat of edge " + edgeId,
        () -> directory.heartbeat(edgeId, region, settings.ttl()));
  }

  @Override
  public void bound(Jid fullJid, Object session) {
    try {
      Registration r = Registration.of(fullJid.bare().toString(),
          fullJid.resource().orElseThrow(), region, edgeId, clock.instant());
      CompletableFuture<Void> registered =
          guard("registering " + fullJid, () -> directory.register(r));
      bound.put(fullJid, new Bound(session, r, registered));
    } catch (RuntimeException e) {
      failures.warn("registering " + fullJid, e);
    }
  }

  @Override
  public void unbound(Jid fullJid, Object session) {
    try {
      Bound b = bound.get(fullJid);
      if (b == null || b.session() != session || !bound.remove(fullJid, b)) {
        return; // never registered, or a newer session holds the resource now
      }
      var at = clock.instant();
      b.registered().thenCompose(v -> guard("unregistering " + fullJid,
          () -> directory.unregister(b.registration(), at)));
    } catch (RuntimeException e) {
      failures.warn("unregistering " + fullJid, e);
    }
  }

  /** Runs a directory call; its failure is logged and the returned stage completes anyway. */
  private CompletableFuture<Void> guard(String what,
      java.util.function.Supplier<java.util.concurrent.CompletionStage<Void>> call) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      call.get().whenComplete((v, error) -> {
        if (error != null) {
          failures.warn(what, error);
        }
        done.complete(null);
      });
    } catch (RuntimeException e) {
      failures.warn(what, e);
      done.complete(null);
    }
    return done;
  }

  /** How many resources this edge has registered now. */
  public int registered() {
    return bound.size();
  }

  /**
   * Stops heartbeating and tells the directory this edge is gone, so that its entries vanish now
   * rather than one TTL later (waits up to a second for that).
   */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      guard("stopping edge " + edgeId, () -> directory.edgeStopped(edgeId))
          .get(1, TimeUnit.SECONDS);
    } catch (Exception e) {
      failures.warn("stopping edge " + edgeId, e);
    }
  }
}

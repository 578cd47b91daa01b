package dev.tern.router.directory;

import static java.util.Objects.requireNonNull;

import dev.tern.directory.presence.ConnectedResource;
import dev.tern.directory.presence.DeadEdge;
import dev.tern.directory.presence.PresenceDirectory;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the sessions of the region's edges that died without a word (kill -9, a lost host):
 * their contacts and the users' other resources get the unavailable presence the sessions never
 * sent (RFC 6121 §4.5.2), as ejabberd and Prosody clusters do when a node goes down. Every
 * {@code every}, the region's routers ask the directory for dead edges; each dead edge goes to
 * one router only. A session that already lives again elsewhere (resumed on another edge, XEP-0198)
 * is left alone.
 */
public final class DeadEdgeReaper implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DeadEdgeReaper.class);

  private final PresenceDirectory directory;
  private final String region;
  private final Function<String, CompletionStage<Void>> unavailable;
  private final ScheduledExecutorService timer;

  /**
   * @param unavailable announces a full JID unavailable, as if its session had ended
   */
  public DeadEdgeReaper(PresenceDirectory directory, String region, Duration every,
      Function<String, CompletionStage<Void>> unavailable) {
    this.directory = requireNonNull(directory, "directory");
    this.region = requireNonNull(region, "region");
    this.unavailable = requireNonNull(unavailable, "unavailable");
    requireNonNull(every, "every");
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tern-router-reaper-" + region);
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(100, every.toMillis());
    timer.scheduleWithFixedDelay(this::reapQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void reapQuietly() {
    try {
      reap().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("could not look for dead edges of {}: {}", region, e.toString());
    }
  }

  /** One round: claims the dead edges and announces their sessions; completes when sent. */
  public CompletionStage<Void> reap() {
    return directory.reapDeadEdges(region).thenCompose(edges -> {
      CompletableFuture<?>[] all = edges.stream().map(this::announce)
          .toArray(CompletableFuture[]::new);
      return CompletableFuture.allOf(all);
    });
  }

  private CompletableFuture<Void> announce(DeadEdge edge) {
    if (!edge.fullJids().isEmpty()) {
      log.info("edge {} stopped heartbeating: announcing its {} session(s) unavailable",
          edge.edgeId(), edge.fullJids().size());
    }
    CompletableFuture<?>[] all = edge.fullJids().stream().map(full -> {
      Optional<Jid> jid = fullJid(full);
      if (jid.isEmpty()) {
        log.warn("edge {} registered {}, which is no full JID: not announced", edge.edgeId(), full);
        return CompletableFuture.completedFuture(null);
      }
      String resource = jid.get().resource().orElseThrow();
      return directory.where(jid.get().bare().toString()).thenCompose(where -> {
        boolean livesElsewhere = where.resources().stream()
            .map(ConnectedResource::resource).anyMatch(resource::equals);
        return livesElsewhere ? CompletableFuture.<Void>completedFuture(null)
            : unavailable.apply(full);
      }).toCompletableFuture().exceptionally(e -> {
        log.warn("could not announce {} unavailable: {}", full, e.toString());
        return null;
      });
    }).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(all);
  }

  /** {@code s} as a full JID, if it is one. */
  private static Optional<Jid> fullJid(String s) {
    try {
      return Optional.of(Jid.parse(s)).filter(jid -> !jid.isBare());
    } catch (JidMalformedException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

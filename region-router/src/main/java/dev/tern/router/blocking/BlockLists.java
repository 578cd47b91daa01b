package dev.tern.router.blocking;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.blocking.BlockListStore;
import dev.tern.xmpp.jid.Jid;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The block lists a router consults on every message: read from the {@link BlockListStore} and
 * kept for {@link Settings#ttl()} at most, dropped at once when a change is announced (see
 * {@link BlockingRouter}), and again {@link Settings#replicationGrace()} later when the change
 * came from elsewhere, since this region's datacenter may not have had the change yet when the
 * first drop made the list be read again. At most {@link Settings#maxUsers()} lists are kept; the
 * least recently used goes first. Thread-safe.
 *
 * <p>{@link #blocks(String, String)} is also what presence code calls to drop a blocked user's
 * presence (XEP-0191 §3.3: "MUST NOT respond and MUST NOT return an error").
 */
public final class BlockLists {

  /**
   * @param ttl how long a list read from storage is used; a backstop for announcements that did
   *     not arrive (a gateway between regions down), so it bounds how stale a list can be
   * @param maxUsers how many users' lists one router keeps
   * @param replicationGrace how long after a change announced from elsewhere the list is dropped
   *     a second time: longer than Cassandra usually needs to replicate between datacenters
   */
  public record Settings(Duration ttl, int maxUsers, Duration replicationGrace) {

    public static final Settings DEFAULTS =
        new Settings(Duration.ofSeconds(30), 100_000, Duration.ofSeconds(2));

    public Settings {
      requireNonNull(ttl, "ttl");
      requireNonNull(replicationGrace, "replicationGrace");
      if (ttl.isNegative() || ttl.isZero() || maxUsers < 1 || replicationGrace.isNegative()) {
        throw new IllegalArgumentException("not valid block list cache settings: " + this);
      }
    }
  }

  private record Entry(CompletableFuture<BlockList> list, Instant loadedAt) {}

  private final BlockListStore store;
  private final Settings settings;
  private final Clock clock;
  private final Executor afterGrace;
  private final Map<String, Entry> entries;

  /** Lists of {@code store}, cached by the system clock. */
  public static BlockLists of(BlockListStore store, Settings settings) {
    return new BlockLists(store, settings, Clock.systemUTC(), CompletableFuture.delayedExecutor(
        settings.replicationGrace().toMillis(), TimeUnit.MILLISECONDS));
  }

  BlockLists(BlockListStore store, Settings settings, Clock clock, Executor afterGrace) {
    this.store = requireNonNull(store, "store");
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    this.afterGrace = requireNonNull(afterGrace, "afterGrace");
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > settings.maxUsers();
      }
    };
  }

  /** {@code user}'s block list (a bare JID); fails when storage could not be read. */
  public CompletionStage<BlockList> of(String user) {
    requireNonNull(user, "user");
    Instant now = clock.instant();
    Entry entry;
    synchronized (entries) {
      Entry cached = entries.get(user);
      if (cached != null && now.isBefore(cached.loadedAt().plus(settings.ttl()))) {
        return cached.list();
      }
      entry = new Entry(new CompletableFuture<>(), now);
      entries.put(user, entry);
    }
    store.blocked(user).whenComplete((items, error) -> {
      if (error != null) {
        synchronized (entries) {
          entries.remove(user, entry); // the next caller tries again
        }
        entry.list().completeExceptionally(error);
      } else {
        entry.list().complete(new BlockList(items));
      }
    });
    return entry.list();
  }

  /** Whether {@code user} (a bare JID) blocked {@code jid} (any JID; XEP-0191 §5 matching). */
  public CompletionStage<Boolean> blocks(String user, String jid) {
    requireNonNull(jid, "jid");
    return of(user).thenApply(list -> list.blocks(jid));
  }

  /**
   * Whether a stanza from {@code fromJid} may reach {@code toJid} (each bare or full): the
   * sender's own block first, since the sender's server refuses before routing (XEP-0191 §3.3).
   * Fails if either is no JID.
   */
  public CompletionStage<Verdict> verdict(String fromJid, String toJid) {
    requireNonNull(fromJid, "fromJid");
    requireNonNull(toJid, "toJid");
    Optional<Jid> from = JidMatching.parse(fromJid);
    Optional<Jid> to = JidMatching.parse(toJid);
    if (from.isEmpty() || to.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "not a JID: " + (from.isEmpty() ? fromJid : toJid)));
    }
    return of(from.get().bare().toString()).thenCombine(of(to.get().bare().toString()),
        (senders, recipients) -> senders.blocks(to.get()) ? Verdict.BLOCKED_BY_SENDER
            : recipients.blocks(from.get()) ? Verdict.BLOCKED_BY_RECIPIENT : Verdict.ALLOWED);
  }

  /** {@code user}'s list changed here: read it again next time. */
  public void invalidate(String user) {
    synchronized (entries) {
      entries.remove(requireNonNull(user, "user"));
    }
  }

  /**
   * {@code user}'s list changed, possibly in another region: read it again next time, and once
   * more after the replication grace in case the first read came before the change replicated.
   */
  void changedElsewhere(String user) {
    invalidate(user);
    afterGrace.execute(() -> invalidate(user));
  }
}

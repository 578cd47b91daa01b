package dev.tern.router.chats;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.chats.ChatLease;
import dev.tern.storage.chats.ChatLeaseStore;
import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.ChatSeq;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the leases of the chat shards this router numbers, and hands out their numbers from
 * memory.
 *
 * <p>A chat belongs to one shard of its home region ({@link #shard}). The router holding that
 * shard's lease is the chat's one sequencer: it numbers the chat's messages in the order they
 * reach it, with no consensus round per message. Leases are taken and renewed by compare-and-set
 * in this region's datacenter ({@link ChatLeaseStore}); each change of owner raises the shard's
 * epoch, which every number carries in its highest bits ({@link ChatSeq}), so a new owner's
 * numbers are above all of its predecessor's even if the predecessor's last writes have not
 * reached it.
 *
 * <p>{@link #maintain} runs every quarter of the lease: it renews what this router holds, takes
 * the shards of its own region that are free, lapsed or held under its own name by a previous
 * incarnation, and takes the shards of a region whose routers have all gone quiet (no heartbeat
 * for a lease) once their leases have lapsed. It gives such a shard back, by letting its lease
 * lapse at once, when a router of the home region is heard again.
 */
public final class ChatSequencer {

  private static final Logger log = LoggerFactory.getLogger(ChatSequencer.class);

  /** A shard of one region's chats. */
  public record Shard(String home, int index) {}

  /** A lease this router holds, and the last number it handed out under it. */
  private static final class Holding {
    private ChatLease lease;
    private long last;

    Holding(ChatLease lease, long last) {
      this.lease = lease;
      this.last = last;
    }

    synchronized ChatLease lease() {
      return lease;
    }

    synchronized void renewed(ChatLease renewed) {
      lease = renewed;
    }

    /** The next number, unless the lease is within {@code margin} of lapsing at {@code now}. */
    synchronized OptionalLong next(Instant now, Duration margin) {
      if (!now.plus(margin).isBefore(lease.expires())) {
        return OptionalLong.empty();
      }
      last = ChatSeq.next(last, now.toEpochMilli());
      return OptionalLong.of(last);
    }
  }

  private final String region;
  private final ChatSettings settings;
  private final ChatLeaseStore leases;
  private final Clock clock;
  private final Map<Shard, Holding> held = new ConcurrentHashMap<>();
  private volatile Map<Shard, ChatLease> known = Map.of();
  private final Map<String, Instant> heardFrom = new ConcurrentHashMap<>();

  public ChatSequencer(String region, ChatSettings settings, ChatLeaseStore leases, Clock clock) {
    this.region = requireNonNull(region, "region");
    this.settings = requireNonNull(settings, "settings");
    this.leases = requireNonNull(leases, "leases");
    this.clock = requireNonNull(clock, "clock");
  }

  public ChatSettings settings() {
    return settings;
  }

  public String name() {
    return settings.routerName();
  }

  /** The shard of {@code chat}, whose home is {@code home}: a stable hash of its key. */
  public Shard shard(ChatId chat, String home) {
    return new Shard(home, Math.floorMod(chat.value().hashCode(), settings.shards()));
  }

  /**
   * The shard's next number if this router holds its lease and will for a while yet; empty
   * otherwise (the caller forwards to the owner or answers "try again").
   */
  public OptionalLong next(Shard shard) {
    Holding h = held.get(shard);
    return h == null ? OptionalLong.empty() : h.next(clock.instant(), margin());
  }

  /** Whether this router holds the shard's lease now. */
  public boolean holds(Shard shard) {
    Holding h = held.get(shard);
    return h != null && clock.instant().plus(margin()).isBefore(h.lease().expires());
  }

  /** The router that holds the shard's lease per what this router last read, if unlapsed. */
  public Optional<String> ownerOf(Shard shard) {
    if (holds(shard)) {
      return Optional.of(name());
    }
    ChatLease l = known.get(shard);
    return l != null && clock.instant().isBefore(l.expires())
        ? Optional.of(l.owner()) : Optional.empty();
  }

  /** A router of {@code otherRegion} said it is alive and holds its leases. */
  public void heardFrom(String otherRegion) {
    if (!otherRegion.equals(region)) {
      heardFrom.put(otherRegion, clock.instant());
    }
  }

  /** How many shards this router holds, for metrics and tests. */
  public int heldCount() {
    return held.size();
  }

  private Duration margin() {
    return settings.lease().dividedBy(5);
  }

  /**
   * One round of lease keeping (renew, take, give back); returns whether this region's
   * datacenter answered, i.e. whether this router may tell the others it is alive.
   */
  public boolean maintain() {
    Instant now = clock.instant();
    renewHeld(now);
    List<ChatLease> all;
    try {
      all = leases.all().toCompletableFuture().get(settings.lease().toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("chat leases not read: {}", e.toString());
      return false;
    }
    Map<Shard, ChatLease> byShard = new HashMap<>();
    for (ChatLease l : all) {
      byShard.put(new Shard(l.home(), l.shard()), l);
    }
    known = Map.copyOf(byShard);
    for (int i = 0; i < settings.shards(); i++) {
      Shard own = new Shard(region, i);
      if (!held.containsKey(own)) {
        ChatLease current = byShard.get(own);
        if (current == null || current.owner().equals(name()) || lapsed(current, now)) {
          take(own, Optional.ofNullable(current), now);
        }
      }
    }
    for (ChatLease l : all) {
      Shard s = new Shard(l.home(), l.shard());
      if (!l.home().equals(region) && settings.regions().contains(l.home())
          && !held.containsKey(s) && lapsed(l, now) && quiet(l.home(), now)) {
        take(s, Optional.of(l), now);
      }
    }
    return true;
  }

  private boolean lapsed(ChatLease l, Instant now) {
    return !now.isBefore(l.expires());
  }

  /** No router of {@code home} has been heard for a whole lease. */
  private boolean quiet(String home, Instant now) {
    Instant last = heardFrom.get(home);
    return last == null || !now.isBefore(last.plus(settings.lease()));
  }

  /** Renews every held lease at once (one slow renewal must not make the others lapse). */
  private void renewHeld(Instant now) {
    List<CompletableFuture<Void>> renewals = new java.util.ArrayList<>();
    for (Map.Entry<Shard, Holding> e : held.entrySet()) {
      renewals.add(renew(e.getKey(), e.getValue(), now));
    }
    try {
      CompletableFuture.allOf(renewals.toArray(CompletableFuture[]::new))
          .get(settings.lease().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("chat leases not all renewed in time: {}", e.toString());
    }
  }

  private CompletableFuture<Void> renew(Shard shard, Holding h, Instant now) {
    ChatLease current = h.lease();
    boolean foreign = !shard.home().equals(region);
    // A shard of another region goes back as soon as a router of that region is heard again.
    Instant until = foreign && !quiet(shard.home(), now) ? now : now.plus(settings.lease());
    ChatLease next = current.withExpires(until);
    return leases.replace(Optional.of(current), next).toCompletableFuture()
        .handle((renewed, error) -> {
          if (error != null) {
            log.warn("chat lease {}/{} not renewed: {}", shard.home(), shard.index(),
                error.toString());
            if (!clock.instant().isBefore(current.expires())) {
              held.remove(shard, h);
            }
          } else if (!renewed) {
            log.warn("chat lease {}/{} was taken by another router", shard.home(), shard.index());
            held.remove(shard, h);
          } else if (until.equals(now)) {
            log.info("chat lease {}/{} given back to its home region", shard.home(),
                shard.index());
            h.renewed(next);
            held.remove(shard, h);
          } else {
            h.renewed(next);
          }
          return null;
        });
  }

  private void take(Shard shard, Optional<ChatLease> seen, Instant now) {
    try {
      // The lease as the compare-and-set sees it: a round in progress is settled first.
      Optional<ChatLease> current = seen.isEmpty() ? seen
          : leases.read(shard.home(), shard.index()).toCompletableFuture()
              .get(settings.lease().toMillis(), TimeUnit.MILLISECONDS);
      if (current.isPresent() && !current.get().owner().equals(name())
          && !lapsed(current.get(), now)) {
        return;
      }
      long epoch = settings.nextEpoch(current.map(ChatLease::epoch).orElse(0L));
      ChatLease next = new ChatLease(shard.home(), shard.index(), name(), epoch,
          now.plus(settings.lease()));
      boolean taken = leases.replace(current, next).toCompletableFuture()
          .get(settings.lease().toMillis(), TimeUnit.MILLISECONDS);
      if (!taken) {
        return;
      }
      // Numbers start at no earlier a time than the previous lease could have used.
      Instant floor = current.map(ChatLease::expires).filter(now::isBefore).orElse(now);
      held.put(shard, new Holding(next, ChatSeq.first(epoch, floor.toEpochMilli())));
      log.info("chat lease {}/{} taken, epoch {}{}", shard.home(), shard.index(), epoch,
          current.map(c -> " (was " + c.owner() + ", epoch " + c.epoch() + ")").orElse(""));
    } catch (Exception e) {
      log.warn("chat lease {}/{} not taken: {}", shard.home(), shard.index(), e.toString());
    }
  }

  /** Lets every held lease lapse now, so that a successor need not wait (a clean stop). */
  public void releaseAll() {
    Instant now = clock.instant();
    for (Map.Entry<Shard, Holding> e : held.entrySet()) {
      ChatLease current = e.getValue().lease();
      try {
        leases.replace(Optional.of(current), current.withExpires(now)).toCompletableFuture()
            .get(2, TimeUnit.SECONDS);
      } catch (Exception ex) {
        log.warn("chat lease {}/{} not released: {}", current.home(), current.shard(),
            ex.toString());
      }
    }
    held.clear();
  }
}

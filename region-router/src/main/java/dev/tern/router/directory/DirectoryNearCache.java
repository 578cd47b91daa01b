package dev.tern.router.directory;

import static java.util.Objects.requireNonNull;

import dev.tern.directory.presence.PresenceDirectory;
import dev.tern.directory.presence.UserLocation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Lookups of the presence directory, each reused for {@code expiry} and then asked again.
 *
 * <p><b>Invalidation is by time only.</b> An answer may be up to {@code expiry} old: a user who
 * just connected or left shows as before for at most that long. Nothing pushes changes here,
 * because nothing needs them sooner: delivery goes by NATS interest on the user's subject, never
 * by this lookup (docs/design/directory.md). Concurrent lookups of one user share one request;
 * a failed lookup is not kept. At most {@code maxEntries} users are kept; the least recently
 * asked one goes first.
 */
public final class DirectoryNearCache {

  /** The default bound on cached users. */
  public static final int MAX_ENTRIES = 10_000;

  private final PresenceDirectory directory;
  private final Duration expiry;
  private final int maxEntries;
  private final Clock clock;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > maxEntries;
    }
  };

  private record Entry(CompletableFuture<UserLocation> location, Instant expiresAt) {}

  public DirectoryNearCache(PresenceDirectory directory, Duration expiry) {
    this(directory, expiry, MAX_ENTRIES, Clock.systemUTC());
  }

  public DirectoryNearCache(PresenceDirectory directory, Duration expiry, int maxEntries,
      Clock clock) {
    this.directory = requireNonNull(directory, "directory");
    this.expiry = requireNonNull(expiry, "expiry");
    this.clock = requireNonNull(clock, "clock");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive");
    }
    this.maxEntries = maxEntries;
  }

  /** Where {@code bareJid} is connected, at most {@code expiry} old. */
  public CompletionStage<UserLocation> where(String bareJid) {
    requireNonNull(bareJid, "bareJid");
    Instant now = clock.instant();
    CompletableFuture<UserLocation> asked;
    synchronized (entries) {
      Entry cached = entries.get(bareJid);
      if (cached != null && now.isBefore(cached.expiresAt())
          && !cached.location().isCompletedExceptionally()) {
        return cached.location().minimalCompletionStage();
      }
      asked = new CompletableFuture<>();
      entries.put(bareJid, new Entry(asked, now.plus(expiry)));
    }
    directory.where(bareJid).whenComplete((location, error) -> {
      if (error != null) {
        synchronized (entries) {
          Entry e = entries.get(bareJid);
          if (e != null && e.location() == asked) {
            entries.remove(bareJid);
          }
        }
        asked.completeExceptionally(error);
      } else {
        asked.complete(location);
      }
    });
    return asked.minimalCompletionStage();
  }

  /** Forgets every cached answer. */
  public void clear() {
    synchronized (entries) {
      entries.clear();
    }
  }

  /** How many users are cached now. */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}

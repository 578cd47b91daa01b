package dev.tern.directory.presence;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Timing of the presence directory (docs/design/directory.md).
 *
 * @param ttl an edge's entries vanish this long after its last heartbeat (kill -9, lost
 *     network): the upper bound on how stale "where is alice?" can be
 * @param heartbeat how often an edge renews its liveness key; at most half of {@code ttl}, so
 *     that one late or lost heartbeat does not make every user of the edge look offline
 * @param nearCache how long a router reuses a lookup without asking Redis again
 */
public record PresenceTiming(Duration ttl, Duration heartbeat, Duration nearCache) {

  /** The defaults of {@code defaults.yaml}. */
  public static final PresenceTiming DEFAULTS =
      new PresenceTiming(Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(2));

  public PresenceTiming {
    requireNonNull(ttl, "ttl");
    requireNonNull(heartbeat, "heartbeat");
    requireNonNull(nearCache, "nearCache");
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("directory.presence.heartbeat: must be positive");
    }
    if (ttl.compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "directory.presence.ttl: at least twice directory.presence.heartbeat");
    }
    if (nearCache.isNegative()) {
      throw new IllegalArgumentException("directory.presence.nearCache: must not be negative");
    }
  }
}

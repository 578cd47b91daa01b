package dev.tern.directory;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How a Tern process reaches the global directory.
 *
 * @param nodes some nodes of the Redis Cluster as {@code host:port}; the client discovers the rest
 * @param timeout connect and command timeout
 * @param presence how long the directory trusts an edge between its heartbeats
 */
public record DirectoryConfig(List<String> nodes, Duration timeout, Presence presence) {

  /**
   * Timing of the presence directory (docs/design/directory.md).
   *
   * @param ttl an edge's entries vanish this long after its last heartbeat (kill -9, lost
   *     network): the upper bound on how stale "where is alice?" can be
   * @param heartbeat how often an edge renews its liveness key; at most half of {@code ttl}, so
   *     that one late or lost heartbeat does not make every user of the edge look offline
   * @param nearCache how long a router reuses a lookup without asking Redis again
   */
  public record Presence(Duration ttl, Duration heartbeat, Duration nearCache) {

    /** The defaults of {@code defaults.yaml}. */
    public static final Presence DEFAULTS =
        new Presence(Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(2));

    public Presence {
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

  public DirectoryConfig(List<String> nodes, Duration timeout) {
    this(nodes, timeout, Presence.DEFAULTS);
  }

  public DirectoryConfig {
    nodes = List.copyOf(requireNonNull(nodes, "nodes"));
    requireNonNull(timeout, "timeout");
    requireNonNull(presence, "presence");
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("directory.nodes: at least one Redis Cluster node is needed");
    }
    for (String node : nodes) {
      int colon = node.lastIndexOf(':');
      if (colon <= 0 || !node.substring(colon + 1).matches("\\d{1,5}")) {
        throw new IllegalArgumentException("directory.nodes: not host:port: " + node);
      }
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("directory.timeout: must be positive");
    }
  }
}

package dev.tern.directory;

import static java.util.Objects.requireNonNull;

import dev.tern.directory.presence.PresenceTiming;
import java.time.Duration;
import java.util.List;

/**
 * How a Tern process reaches the global directory.
 *
 * @param nodes some nodes of the Redis Cluster as {@code host:port}; the client discovers the rest
 * @param timeout connect and command timeout
 * @param presence how long the directory trusts an edge between its heartbeats
 */
public record DirectoryConfig(List<String> nodes, Duration timeout, PresenceTiming presence) {

  public DirectoryConfig(List<String> nodes, Duration timeout) {
    this(nodes, timeout, PresenceTiming.DEFAULTS);
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

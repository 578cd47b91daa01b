package dev.tern.storage;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a Tern process reaches its region's Cassandra datacenter.
 *
 * @param contactPoints nodes of the local datacenter, at least one
 * @param localDatacenter the datacenter this region reads and writes at LOCAL_QUORUM
 * @param keyspace the keyspace every store lives in
 * @param replication replicas per datacenter for NetworkTopologyStrategy (one DC per region)
 * @param requestTimeout how long one statement may take before it fails, including any time it
 *     waited for its turn
 * @param maxConcurrentRequests statements in flight at once; more wait for their turn (one
 *     connection to a node carries 1 024)
 * @param maxQueuedRequests statements that may wait for their turn; more fail at once
 */
public record CassandraConfig(
    List<InetSocketAddress> contactPoints,
    String localDatacenter,
    String keyspace,
    Map<String, Integer> replication,
    Duration requestTimeout,
    int maxConcurrentRequests,
    int maxQueuedRequests) {

  public CassandraConfig {
    contactPoints = List.copyOf(requireNonNull(contactPoints, "contactPoints"));
    requireNonNull(localDatacenter, "localDatacenter");
    requireNonNull(keyspace, "keyspace");
    replication = Map.copyOf(requireNonNull(replication, "replication"));
    requireNonNull(requestTimeout, "requestTimeout");
    if (contactPoints.isEmpty()) {
      throw new IllegalArgumentException("cassandra.contactPoints: at least one node is needed");
    }
    if (!keyspace.matches("[a-z][a-z0-9_]{0,47}")) {
      throw new IllegalArgumentException("cassandra.keyspace: not a plain CQL name: " + keyspace);
    }
    if (replication.isEmpty()) {
      throw new IllegalArgumentException("cassandra.replication: name at least one datacenter");
    }
    replication.forEach((dc, n) -> {
      if (n < 1) {
        throw new IllegalArgumentException("cassandra.replication." + dc + ": must be at least 1");
      }
    });
    if (!replication.containsKey(localDatacenter)) {
      throw new IllegalArgumentException(
          "cassandra.replication: has no replicas in the local datacenter " + localDatacenter);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("cassandra.requestTimeout: must be positive");
    }
    if (maxConcurrentRequests < 1 || maxConcurrentRequests > 32_768) {
      throw new IllegalArgumentException(
          "cassandra.maxConcurrentRequests: must be between 1 and 32768");
    }
    if (maxQueuedRequests < 0) {
      throw new IllegalArgumentException("cassandra.maxQueuedRequests: must not be negative");
    }
  }
}

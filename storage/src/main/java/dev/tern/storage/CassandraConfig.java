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
 * @param requestTimeout how long one statement may take before it fails
 * @param connectionsPerNode connections to each node of the local datacenter; each carries 1 024
 *     statements in flight, and the driver refuses at once what finds none free
 */
public record CassandraConfig(
    List<InetSocketAddress> contactPoints,
    String localDatacenter,
    String keyspace,
    Map<String, Integer> replication,
    Duration requestTimeout,
    int connectionsPerNode) {

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
    if (connectionsPerNode < 1 || connectionsPerNode > 8) {
      throw new IllegalArgumentException("cassandra.connectionsPerNode: must be between 1 and 8");
    }
  }
}

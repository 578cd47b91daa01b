package dev.tern.storage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CassandraConfigTest {

  private static final List<InetSocketAddress> NODE =
      List.of(InetSocketAddress.createUnresolved("127.0.0.11", 9042));

  @Test
  void theLocalDatacenterMustHoldReplicas() {
    assertThatThrownBy(() -> new CassandraConfig(NODE, "region-c", "tern",
        Map.of("region-a", 1), Duration.ofSeconds(5), 2))
        .hasMessageContaining("cassandra.replication").hasMessageContaining("region-c");
  }

  @Test
  void aKeyspaceNameThatIsNotPlainCqlIsRefused() {
    assertThatThrownBy(() -> new CassandraConfig(NODE, "region-a", "tern; DROP",
        Map.of("region-a", 1), Duration.ofSeconds(5), 2))
        .hasMessageContaining("cassandra.keyspace");
  }

  @Test
  void zeroReplicasAreRefused() {
    assertThatThrownBy(() -> new CassandraConfig(NODE, "region-a", "tern",
        Map.of("region-a", 1, "region-b", 0), Duration.ofSeconds(5), 2))
        .hasMessageContaining("cassandra.replication.region-b");
  }

  @Test
  void atLeastOneConnectionPerNodeIsNeeded() {
    assertThatThrownBy(() -> new CassandraConfig(NODE, "region-a", "tern",
        Map.of("region-a", 1), Duration.ofSeconds(5), 0))
        .hasMessageContaining("cassandra.connectionsPerNode");
  }
}

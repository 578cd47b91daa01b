package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.tern.regions.RegionConfig;
import dev.tern.storage.CassandraStorage;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Order(1)
@ExtendWith(TestFederation.class)
class CassandraAcrossDatacentersTest {

  private static CassandraStorage regionA;
  private static CassandraStorage regionB;
  private static String keyspace;

  @BeforeAll
  static void connectToBothDatacenters() {
    RegionConfig a = Regions.config("region-a");
    keyspace = a.cassandra().keyspace();
    regionA = CassandraStorage.connect(a.cassandraConfig());
    regionB = CassandraStorage.connect(Regions.config("region-b").cassandraConfig());
  }

  @AfterAll
  static void close() {
    regionA.close();
    regionB.close();
  }

  @Test
  void aRowWrittenAtLocalQuorumInRegionAIsReadAtLocalOneInRegionB() {
    regionA.session().execute("CREATE TABLE IF NOT EXISTS " + keyspace
        + ".it_replication_probe (id uuid PRIMARY KEY, body text)");
    UUID id = UUID.randomUUID();
    regionA.session().execute(SimpleStatement.newInstance("INSERT INTO " + keyspace
            + ".it_replication_probe (id, body) VALUES (?, ?)", id, "written in region-a")
        .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM));

    // Replication to the other datacenter is asynchronous: wait for it, never for a fixed time.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      Row row = regionB.session().execute(SimpleStatement.newInstance("SELECT body FROM "
              + keyspace + ".it_replication_probe WHERE id = ?", id)
          .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_ONE)).one();
      assertThat(row).isNotNull();
      assertThat(row.getString("body")).isEqualTo("written in region-a");
    });
  }

  @Test
  void theKeyspaceKeepsOneReplicaInEachRegionsDatacenter() {
    Row row = regionA.session().execute(SimpleStatement.newInstance(
        "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", keyspace)).one();
    assertThat(row).isNotNull();
    Map<String, String> replication = row.getMap("replication", String.class, String.class);
    assertThat(replication).containsEntry("class",
            "org.apache.cassandra.locator.NetworkTopologyStrategy")
        .containsEntry("region-a", "1")
        .containsEntry("region-b", "1");
  }

  @Test
  void eachNodeIsItsRegionsDatacenterAndFsyncsItsCommitLogBeforeAcknowledging() {
    for (var entry : Map.of("region-a", regionA, "region-b", regionB).entrySet()) {
      CassandraStorage node = entry.getValue();
      Row local = node.session().execute("SELECT data_center FROM system.local").one();
      assertThat(local.getString("data_center")).isEqualTo(entry.getKey());
      Row sync = node.session().execute(
          "SELECT value FROM system_views.settings WHERE name = 'commitlog_sync'").one();
      assertThat(sync).as("commitlog_sync of %s", entry.getKey()).isNotNull();
      assertThat(sync.getString("value")).isIn("batch", "group");
    }
  }
}

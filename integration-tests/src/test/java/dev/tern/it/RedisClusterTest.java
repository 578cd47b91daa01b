package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.directory.GlobalDirectory;
import dev.tern.regions.launcher.RedisCluster;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.ClusterShardInfo;
import redis.clients.jedis.resps.ClusterShardNodeInfo;
import redis.clients.jedis.util.JedisClusterCRC16;

@Order(2)
@ExtendWith(TestFederation.class)
class RedisClusterTest {

  private static GlobalDirectory directory;

  @BeforeAll
  static void connect() {
    directory = GlobalDirectory.connect(Regions.config("region-a").directoryConfig());
  }

  @AfterAll
  static void close() {
    directory.close();
  }

  private static List<ClusterShardInfo> shards() {
    String first = Regions.config("region-a").directory().nodes().get(0);
    try (Jedis jedis = RedisCluster.jedis(first.substring(0, first.lastIndexOf(':')),
        Integer.parseInt(first.substring(first.lastIndexOf(':') + 1)))) {
      return jedis.clusterShards();
    }
  }

  private static ClusterShardNodeInfo master(ClusterShardInfo shard) {
    return shard.getNodes().stream().filter(n -> n.getRole().equals("master")).findFirst()
        .orElseThrow();
  }

  @Test
  void theClusterHasThreeMastersEachWithAnOnlineReplica() {
    List<ClusterShardInfo> shards = shards();
    assertThat(shards).hasSize(3);
    for (ClusterShardInfo shard : shards) {
      assertThat(shard.getNodes()).extracting(ClusterShardNodeInfo::getRole)
          .containsExactlyInAnyOrder("master", "replica");
      assertThat(shard.getNodes()).extracting(ClusterShardNodeInfo::getHealth)
          .containsOnly("online");
    }
  }

  @Test
  void aKeyOnEachMasterRoundTripsThroughTheClusterClient() {
    for (ClusterShardInfo shard : shards()) {
      List<Long> range = shard.getSlots().get(0);
      String key = keyInSlots(range.get(0), range.get(1));
      String value = UUID.randomUUID().toString();

      directory.redis().set(key, value);

      assertThat(directory.redis().get(key)).isEqualTo(value);
      ClusterShardNodeInfo master = master(shard);
      try (Jedis owner = RedisCluster.jedis(master.getIp(), master.getPort().intValue())) {
        assertThat(owner.get(key)).as("the key is stored on master %s", master.getPort())
            .isEqualTo(value);
      }
      directory.redis().del(key);
    }
  }

  private static String keyInSlots(long from, long to) {
    for (int i = 0; ; i++) {
      String key = "it:probe:" + i;
      int slot = JedisClusterCRC16.getSlot(key);
      if (slot >= from && slot <= to) {
        return key;
      }
    }
  }
}

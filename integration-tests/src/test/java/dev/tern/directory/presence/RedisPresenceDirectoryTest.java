package dev.tern.directory.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.directory.DirectoryConfig;
import dev.tern.directory.GlobalDirectory;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.util.JedisClusterCRC16;

/** The presence contract against the federation's real Redis Cluster. */
@org.junit.jupiter.api.Order(24)
@org.junit.jupiter.api.extension.ExtendWith(dev.tern.it.TestFederation.class)
class RedisPresenceDirectoryTest extends PresenceDirectoryContract {

  private static @Nullable GlobalDirectory directory;

  @BeforeAll
  static void connect() {
    DirectoryConfig config = dev.tern.it.TestFederation.regionConfig("region-a").directoryConfig();
    directory = GlobalDirectory.connect(config);
    directory.ping();
  }

  @AfterAll
  static void disconnect() {
    if (directory != null) {
      directory.close();
    }
  }

  @Override
  protected PresenceDirectory store() {
    return directory.presence();
  }

  @Override
  protected void elapse(Duration time) {
    try {
      Thread.sleep(time.toMillis()); // Redis expires keys on its own clock
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  protected Instant now() {
    return Instant.now();
  }

  @Test
  void aUsersKeysShareOneSlotAndOnlyTheEdgeKeyExpires() {
    String user = "carol-" + java.util.UUID.randomUUID() + "@example.com";
    String edge = "region-a-edge-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    await(store().heartbeat(edge, "region-a", Duration.ofSeconds(30)));
    Registration r = Registration.of(user, "phone", "region-a", edge, Instant.now());
    await(store().register(r));
    await(store().unregister(Registration.of(user, "other", "region-a", edge, Instant.now()),
        Instant.now()));
    await(store().register(Registration.of(user, "tablet", "region-a", edge, Instant.now())));
    await(store().unregister(r, Instant.now()));

    var redis = directory.redis();
    String key = RedisPresenceDirectory.userKey(user);
    assertThat(redis.hget(key, "tablet")).startsWith(edge + "|region-a|");
    assertThat(redis.pttl(key)).as("no TTL on a user's entries").isEqualTo(-1);
    assertThat(redis.pttl(RedisPresenceDirectory.edgeKey(edge))).isBetween(25_000L, 30_000L);
    assertThat(JedisClusterCRC16.getSlot(key))
        .isEqualTo(JedisClusterCRC16.getSlot(key + ":seen"));
  }
}

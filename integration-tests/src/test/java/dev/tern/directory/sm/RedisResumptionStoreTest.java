package dev.tern.directory.sm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.directory.DirectoryConfig;
import dev.tern.directory.GlobalDirectory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;

/** The contract against the federation's real Redis Cluster, from two edges' clients. */
@org.junit.jupiter.api.Order(7)
@org.junit.jupiter.api.extension.ExtendWith(dev.tern.it.TestFederation.class)
class RedisResumptionStoreTest extends ResumptionStoreContract {

  private static @Nullable GlobalDirectory edgeA;
  private static @Nullable GlobalDirectory edgeB;
  private static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(4);
  private static @Nullable RedisResumptionStore storeA;
  private static @Nullable RedisResumptionStore storeB;

  @BeforeAll
  static void connect() {
    DirectoryConfig config = dev.tern.it.TestFederation.regionConfig("region-a").directoryConfig();
    edgeA = GlobalDirectory.connect(config);
    edgeA.ping();
    edgeB = GlobalDirectory.connect(config);
    storeA = new RedisResumptionStore(edgeA.redis(), GRACE, EXECUTOR);
    storeB = new RedisResumptionStore(edgeB.redis(), GRACE, EXECUTOR);
  }

  @AfterAll
  static void disconnect() {
    if (edgeA != null) {
      edgeA.close();
    }
    if (edgeB != null) {
      edgeB.close();
    }
    EXECUTOR.shutdownNow();
  }

  @Override
  protected ResumptionStore store() {
    return storeA;
  }

  @Override
  protected ResumptionStore anotherEdge() {
    return storeB;
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

  @Test
  void bothKeysOfASessionLiveInOneSlotAndExpire() {
    ResumableSession s = ResumableSession.enabled(ResumableSession.newLease(),
        "alice@example.com", "alice@example.com/balcony", Duration.ofMinutes(5));
    await(storeA.save(s));
    await(storeA.appendUnacked(s.id(), s.lease(), "<message xmlns='jabber:client'/>"));

    String hash = RedisResumptionStore.key(s.id());
    var redis = edgeA.redis();
    assertThat(redis.hget(hash, "owner")).isEqualTo("alice@example.com");
    assertThat(redis.lrange(hash + ":q", 0, -1)).containsExactly("<message xmlns='jabber:client'/>");
    long live = Duration.ofMinutes(5).plus(GRACE).toMillis();
    assertThat(redis.pttl(hash)).isBetween(live - 5_000, live);
    assertThat(redis.pttl(hash + ":q")).isBetween(live - 5_000, live);

    await(storeA.detach(s.id(), s.lease()));
    assertThat(redis.pttl(hash)).isBetween(Duration.ofMinutes(5).toMillis() - 5_000,
        Duration.ofMinutes(5).toMillis());
    assertThat(redis.hget(hash, "lease")).isEmpty();
  }
}

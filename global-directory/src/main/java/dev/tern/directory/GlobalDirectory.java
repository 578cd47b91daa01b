package dev.tern.directory;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.tern.directory.presence.PresenceDirectory;
import dev.tern.directory.presence.RedisPresenceDirectory;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

/**
 * The client side of the global directory: a Jedis cluster client over Redis Cluster.
 *
 * <p>The directory never decides whether a message is kept: when it cannot answer, callers treat
 * the user as offline (DESIGN.md, guarantee 4).
 */
public final class GlobalDirectory implements AutoCloseable {

  private final RedisClusterClient redis;
  private final DirectoryConfig config;
  private final ThreadPoolExecutor executor;
  private final PresenceDirectory presence;

  private GlobalDirectory(RedisClusterClient redis, DirectoryConfig config) {
    this.redis = redis;
    this.config = config;
    // Jedis blocks: directory calls run here. Bounded, because the directory is soft state: when
    // Redis is slow, calls beyond the queue fail at once instead of piling up.
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(10_000), r -> {
          Thread t = new Thread(r, "tern-directory-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.presence = new RedisPresenceDirectory(redis, executor);
  }

  /** Connects to the cluster; fails if none of the configured nodes answers. */
  public static GlobalDirectory connect(DirectoryConfig config) {
    requireNonNull(config, "config");
    Set<HostAndPort> nodes = new LinkedHashSet<>();
    for (String node : config.nodes()) {
      nodes.add(HostAndPort.from(node));
    }
    int millis = Math.toIntExact(config.timeout().toMillis());
    RedisClusterClient client = RedisClusterClient.builder()
        .nodes(nodes)
        .clientConfig(DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis)
            .socketTimeoutMillis(millis)
            .clientName("tern")
            .autoNegotiateProtocol(false)
            .build())
        .maxAttempts(5)
        .maxTotalRetriesDuration(config.timeout().multipliedBy(3))
        .topologyRefreshPeriod(Duration.ofSeconds(5))
        .build();
    return new GlobalDirectory(client, config);
  }

  /**
   * Throws unless a node of the cluster reports {@code cluster_state:ok}, i.e. every hash slot
   * is served.
   */
  public void ping() {
    RuntimeException last = null;
    for (Map.Entry<String, ConnectionPool> node : redis.getClusterNodes().entrySet()) {
      try (Jedis jedis = new Jedis(node.getValue().getResource())) {
        String info = jedis.clusterInfo();
        if (info.contains("cluster_state:ok")) {
          return;
        }
        last = new IllegalStateException("Redis node " + node.getKey() + " reports "
            + info.lines().filter(l -> l.startsWith("cluster_state")).findFirst().orElse(info));
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw last != null ? last : new IllegalStateException("no Redis Cluster node known");
  }

  /**
   * The cluster as this client sees it: {@code cluster_state} of the first node that answers,
   * and how many masters and replicas are up out of those known (CLUSTER NODES).
   */
  public ClusterHealth health() {
    RuntimeException last = null;
    for (Map.Entry<String, ConnectionPool> node : redis.getClusterNodes().entrySet()) {
      try (Jedis jedis = new Jedis(node.getValue().getResource())) {
        String state = jedis.clusterInfo().lines().filter(l -> l.startsWith("cluster_state:"))
            .map(l -> l.substring("cluster_state:".length()).strip()).findFirst().orElse("unknown");
        return ClusterHealth.parse(state, jedis.clusterNodes());
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw last != null ? last : new IllegalStateException("no Redis Cluster node known");
  }

  /** Where users are connected, on this cluster. */
  public PresenceDirectory presence() {
    return presence;
  }

  public DirectoryConfig config() {
    return config;
  }

  /** The cluster client, for the directory's stores. */
  public RedisClusterClient redis() {
    return redis;
  }

  @Override
  public void close() {
    executor.shutdown();
    redis.close();
  }
}

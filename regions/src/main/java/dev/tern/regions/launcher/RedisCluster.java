package dev.tern.regions.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Redis Cluster from Debian's redis-server: 3 masters and 3 replicas on loopback, formed with
 * {@code redis-cli --cluster create} on first start and from each node's nodes.conf afterwards.
 * The directory is soft state, so nothing is persisted but the cluster's topology.
 */
public final class RedisCluster implements Component {

  static final String HOST = "127.0.0.1";
  static final List<Integer> PORTS = List.of(7001, 7002, 7003, 7004, 7005, 7006);
  static final int MASTERS = 3;

  @Override
  public String name() {
    return "redis";
  }

  static String member(int port) {
    return "redis-" + port;
  }

  @Override
  public List<Member> members() {
    return PORTS.stream().map(p -> new Member(member(p), List.of(
            new Endpoint(HOST, p, "client"), new Endpoint(HOST, p + 10000, "cluster bus"))))
        .toList();
  }

  @Override
  public void start(Layout layout) throws IOException {
    for (int port : PORTS) {
      var dir = layout.data(member(port));
      var conf = layout.conf(member(port) + ".conf");
      Files.createDirectories(conf.getParent());
      Files.createDirectories(dir);
      Files.writeString(conf, """
          # Written by ./tern for the local federation.
          bind %s
          port %d
          dir %s
          daemonize no
          cluster-enabled yes
          cluster-config-file nodes.conf
          cluster-node-timeout 2000
          repl-diskless-sync yes
          repl-diskless-sync-delay 0
          # Soft state only (presence, routes): no snapshots, no append-only file.
          save ""
          appendonly no
          notify-keyspace-events Ex
          """.formatted(HOST, port, dir));
      Processes.spawn(layout, member(port), List.of("redis-server", conf.toString()),
          Map.of(), dir);
    }
  }

  /** The node rejoins the cluster from its nodes.conf (a replica, if it lost its master role). */
  @Override
  public void startMember(Layout layout, String member) throws IOException {
    Processes.spawn(layout, member, List.of("redis-server",
        layout.conf(member + ".conf").toString()), Map.of(), layout.data(member));
  }

  /** Ready: every node answers, the cluster is formed, and every node says cluster_state:ok. */
  @Override
  public void awaitReady(Layout layout, Duration timeout)
      throws LaunchException, InterruptedException, IOException {
    Readiness.await(layout, this, timeout, () -> {
      for (int port : PORTS) {
        try (Jedis jedis = jedis(port)) {
          jedis.ping();
        }
      }
      return Optional.empty();
    });
    String info;
    try (Jedis first = jedis(PORTS.get(0))) {
      info = first.clusterInfo();
    }
    if (info.contains("cluster_slots_assigned:0")) {
      create(layout);
    }
    Readiness.await(layout, this, timeout, () -> {
      for (int port : PORTS) {
        try (Jedis jedis = jedis(port)) {
          if (!jedis.clusterInfo().contains("cluster_state:ok")) {
            return Optional.of("cluster_state:ok on " + member(port));
          }
          String nodes = jedis.clusterNodes();
          long masters = nodes.lines().filter(l -> l.contains("master")).count();
          long replicas = nodes.lines().filter(l -> l.contains("slave")).count();
          if (masters != MASTERS || replicas != PORTS.size() - MASTERS) {
            return Optional.of(MASTERS + " masters and " + (PORTS.size() - MASTERS)
                + " replicas (" + member(port) + " sees " + masters + " and " + replicas + ")");
          }
          String replication = jedis.info("replication");
          if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
            return Optional.of("replica " + member(port) + " to sync with its master");
          }
        }
      }
      return Optional.empty();
    });
  }

  private static void create(Layout layout) throws IOException, InterruptedException, LaunchException {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    PORTS.forEach(p -> cmd.add(HOST + ":" + p));
    cmd.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
    var log = layout.log("redis-cluster-create");
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new LaunchException("redis-cli --cluster create failed; its output " + log + ":\n"
          + Files.readString(log, StandardCharsets.UTF_8));
    }
  }

  static Jedis jedis(int port) {
    return jedis(HOST, port);
  }

  /** A plain connection to one node (RESP2, as the cluster client speaks). */
  public static Jedis jedis(String host, int port) {
    return new Jedis(new HostAndPort(host, port), DefaultJedisClientConfig.builder()
        .timeoutMillis(2000).autoNegotiateProtocol(false).build());
  }
}

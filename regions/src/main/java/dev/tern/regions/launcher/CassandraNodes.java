package dev.tern.regions.launcher;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cassandra 5.0 from Maven Central's jars: one node per region, each its own datacenter, on its
 * own loopback address, both seeds so that neither bootstraps and both start in parallel.
 * {@code commitlog_sync: batch}: a write is fsynced before it is acknowledged, so an acknowledged
 * write survives kill -9.
 */
final class CassandraNodes implements Component {

  static final int CQL_PORT = 9042;
  static final int STORAGE_PORT = 7000;

  /** One node: its datacenter (= region), address and token (num_tokens 1; no allocator wait). */
  record Node(String datacenter, String address, long token) {
    String member() {
      return "cassandra-" + datacenter;
    }
  }

  private final List<Node> nodes;

  CassandraNodes(List<Node> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  static CassandraNodes local() {
    return new CassandraNodes(List.of(
        new Node("region-a", "127.0.0.11", Long.MIN_VALUE),
        new Node("region-b", "127.0.0.12", 0L)));
  }

  List<Node> nodes() {
    return nodes;
  }

  @Override
  public String name() {
    return "cassandra";
  }

  @Override
  public List<Member> members() {
    return nodes.stream().map(n -> new Member(n.member(), List.of(
            new Endpoint(n.address(), CQL_PORT, "CQL"),
            new Endpoint(n.address(), STORAGE_PORT, "inter-node"))))
        .toList();
  }

  @Override
  public Duration stopGrace() {
    return Duration.ofSeconds(20);
  }

  @Override
  public void start(Layout layout) throws IOException {
    Path lib = layout.dist().resolve("cassandra").resolve("lib");
    if (!Files.isDirectory(lib)) {
      throw new IOException("Cassandra's jars are missing at " + lib + " (./tern up fetches them)");
    }
    for (Node node : nodes) {
      startNode(layout, node);
    }
  }

  /** Starts one node again (e.g. after a test killed its datacenter's only node). */
  @Override
  public void startMember(Layout layout, String member) throws IOException {
    startNode(layout, nodes.stream().filter(n -> n.member().equals(member)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no such Cassandra node: " + member)));
  }

  private void startNode(Layout layout, Node node) throws IOException {
    Path lib = layout.dist().resolve("cassandra").resolve("lib");
    String seeds = nodes.stream().map(n -> n.address() + ":" + STORAGE_PORT)
        .collect(Collectors.joining(","));
    {
      Path dir = layout.data(node.member());
      Path yaml = layout.conf(node.member() + ".yaml");
      Path rackdc = layout.conf(node.member() + "-rackdc.properties");
      Path logback = layout.conf("cassandra-logback.xml");
      Files.createDirectories(yaml.getParent());
      Files.writeString(yaml, yaml(node, seeds, dir));
      Files.writeString(rackdc, "dc=" + node.datacenter() + "\nrack=rack1\n");
      Files.writeString(logback, LOGBACK);
      List<String> cmd = new ArrayList<>();
      if (JavaCommand.isRoot()) {
        // As root Cassandra mlockall()s its heap; dropping CAP_IPC_LOCK makes that fail
        // harmlessly (RSS ~930 MB -> ~400 MB).
        cmd.addAll(List.of("setpriv", "--bounding-set", "-ipc_lock"));
      }
      cmd.addAll(JavaCommand.java(
          "-Xms256m", "-Xmx256m", "-Xss512k", "-XX:+UseG1GC", "-XX:MaxDirectMemorySize=256m",
          "-XX:-UsePerfData", "-Djava.net.preferIPv4Stack=true",
          "-Djdk.attach.allowAttachSelf=true",
          "-Dcassandra.config=" + yaml.toUri(),
          "-Dcassandra-rackdc.properties=" + rackdc.toUri(),
          "-Dlogback.configurationFile=" + logback,
          "-Dcassandra.logdir=" + dir.resolve("logs"),
          "-Dcassandra.storagedir=" + dir,
          "-Dcassandra-foreground=yes",
          "-Dcassandra.skip_wait_for_gossip_to_settle=0",
          "-Dcassandra.initial_token=" + node.token(),
          "-Dcassandra.schema_delay_ms=100",
          "-Dcassandra.shutdown_announce_in_ms=0",
          "-Dcassandra.test.messagingService.nonGracefulShutdown=true"));
      cmd.addAll(JDK17_OPTIONS);
      cmd.addAll(List.of("-cp", lib + "/*", "org.apache.cassandra.service.CassandraDaemon"));
      Processes.spawn(layout, node.member(), cmd, Map.of(), dir);
    }
  }

  private static String yaml(Node node, String seeds, Path dir) {
    return """
        # Written by ./tern for the local federation; edits are overwritten at the next start.
        cluster_name: tern-local
        num_tokens: 1
        initial_token: %d
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        endpoint_snitch: GossipingPropertyFileSnitch
        listen_address: %s
        rpc_address: %s
        storage_port: %d
        native_transport_port: %d
        start_native_transport: true
        seed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              - seeds: "%s"
        # fsync before acknowledging: an acknowledged write survives kill -9 (periodic does not).
        commitlog_sync: batch
        data_file_directories: ["%s"]
        commitlog_directory: "%s"
        saved_caches_directory: "%s"
        hints_directory: "%s"
        cdc_raw_directory: "%s"
        auto_snapshot: false
        authenticator: AllowAllAuthenticator
        authorizer: AllowAllAuthorizer
        concurrent_compactors: 1
        """.formatted(node.token(), node.address(), node.address(), STORAGE_PORT, CQL_PORT, seeds,
        dir.resolve("data"), dir.resolve("commitlog"), dir.resolve("saved_caches"),
        dir.resolve("hints"), dir.resolve("cdc_raw"));
  }

  /** Ready: CQL answers on every node, each sees every other datacenter, and schema agrees. */
  @Override
  public void awaitReady(Layout layout, Duration timeout)
      throws LaunchException, InterruptedException, IOException {
    Map<Node, CqlSession> sessions = new LinkedHashMap<>();
    try {
      Readiness.await(layout, this, timeout, () -> {
        for (Node node : nodes) {
          if (!sessions.containsKey(node)) {
            if (!portOpen(node.address(), CQL_PORT)) {
              return Optional.of("CQL port of " + node.member());
            }
            sessions.put(node, session(node));
          }
        }
        Set<String> all = nodes.stream().map(Node::datacenter).collect(Collectors.toSet());
        for (Map.Entry<Node, CqlSession> e : sessions.entrySet()) {
          Set<String> seen = new HashSet<>();
          seen.add(e.getKey().datacenter());
          for (Row row : e.getValue().execute("SELECT data_center FROM system.peers_v2")) {
            seen.add(row.getString(0));
          }
          if (!seen.containsAll(all)) {
            return Optional.of(e.getKey().member() + " to see datacenters " + all + " (sees " + seen + ")");
          }
          if (!e.getValue().checkSchemaAgreement()) {
            return Optional.of("schema agreement seen from " + e.getKey().member());
          }
        }
        return Optional.empty();
      });
    } finally {
      sessions.values().forEach(CqlSession::close);
    }
  }

  static CqlSession session(Node node) {
    return CqlSession.builder()
        .addContactPoint(new InetSocketAddress(node.address(), CQL_PORT))
        .withLocalDatacenter(node.datacenter())
        .withConfigLoader(DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
            .withString(DefaultDriverOption.PROTOCOL_VERSION, "V4") // see CassandraStorage
            .build())
        .build();
  }

  static boolean portOpen(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static final String LOGBACK = """
      <configuration>
        <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
        <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{25} - %msg%n</pattern></encoder>
        </appender>
        <root level="INFO"><appender-ref ref="STDOUT"/></root>
      </configuration>
      """;

  /** The module flags of Cassandra 5.0's conf/jvm17-server.options, plus nodetool's. */
  private static final List<String> JDK17_OPTIONS = List.of(
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
      "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
      "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
      "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.base/java.io=ALL-UNNAMED",
      "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/java.util=ALL-UNNAMED",
      "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens", "java.base/java.math=ALL-UNNAMED",
      "--add-opens", "java.base/java.net=ALL-UNNAMED");
}

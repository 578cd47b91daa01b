package dev.tern.regions.launcher;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.tern.regions.RegionConfig;
import dev.tern.storage.CassandraStorage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The local two-region federation: real Cassandra (one datacenter per region), Redis Cluster, a
 * NATS supercluster, an S3 store per region and a Tern process per region, all on loopback.
 */
public final class Federation {

  public static final List<String> REGIONS = List.of("region-a", "region-b");

  private static final Duration CASSANDRA_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final Layout layout;
  private final CassandraNodes cassandra = CassandraNodes.local();
  private final RedisCluster redis = new RedisCluster();
  private final NatsSupercluster nats = new NatsSupercluster(REGIONS);
  private final S3Stores s3 = new S3Stores(List.of(
      new S3Stores.Store("region-a", 5290), new S3Stores.Store("region-b", 6290)));
  private final TernRegions tern;

  /**
   * @param classpath the classpath the Tern processes run on (the launcher's own)
   */
  public Federation(Layout layout, String classpath) {
    this.layout = requireNonNull(layout, "layout");
    this.tern = new TernRegions(layout, REGIONS, requireNonNull(classpath, "classpath"));
  }

  public Layout layout() {
    return layout;
  }

  List<Component> infrastructure() {
    return List.of(cassandra, redis, nats, s3);
  }

  List<Component> components() {
    return List.of(cassandra, redis, nats, s3, tern);
  }

  public List<Member> members() {
    return components().stream().flatMap(c -> c.members().stream()).toList();
  }

  /** True when every member of every component runs. */
  public boolean isUp() {
    return members().stream().allMatch(m -> Processes.running(layout, m.name()).isPresent());
  }

  /** True when any member of the federation runs. */
  public boolean anyRunning() {
    return members().stream().anyMatch(m -> Processes.running(layout, m.name()).isPresent());
  }

  /**
   * Starts what is not running, in parallel, and returns once all of it really serves: CQL in
   * both datacenters, {@code cluster_state:ok}, gateways connected, every Tern {@code /health}
   * green. Nothing is stopped on failure, so its logs and state can be inspected.
   */
  public void up(PrintStream out) throws LaunchException, InterruptedException, IOException {
    long t0 = System.nanoTime();
    List<Component> toStart = new ArrayList<>();
    for (Component c : components()) {
      long alive = c.members().stream()
          .filter(m -> Processes.running(layout, m.name()).isPresent()).count();
      if (alive == c.members().size()) {
        out.printf("%-10s already running%n", c.name());
        continue;
      }
      if (alive > 0) {
        out.printf("%-10s partly running: restarting it%n", c.name());
        stop(c);
      }
      toStart.add(c);
    }
    List<String> taken = new ArrayList<>();
    for (Component c : toStart) {
      for (Member m : c.members()) {
        for (Endpoint e : m.endpoints()) {
          if (!e.isFree()) {
            taken.add("port " + e.host() + ":" + e.port() + " (" + m.name() + ", " + e.purpose()
                + ") is already in use by a process tern did not start");
          }
        }
      }
    }
    if (!taken.isEmpty()) {
      throw new LaunchException(String.join("\n", taken));
    }

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> started = new ArrayList<>();
      for (Component c : infrastructure()) {
        boolean start = toStart.contains(c);
        started.add(pool.submit(() -> {
          long t = System.nanoTime();
          if (start) {
            c.start(layout);
          }
          c.awaitReady(layout, c == cassandra ? CASSANDRA_TIMEOUT : TIMEOUT);
          if (start) {
            out.printf("%-10s ready in %.1f s%n", c.name(), seconds(t));
          }
          return null;
        }));
      }
      List<String> failures = new ArrayList<>();
      for (Future<?> f : started) {
        try {
          f.get();
        } catch (ExecutionException e) {
          failures.add(e.getCause() instanceof LaunchException
              ? e.getCause().getMessage() : e.getCause().toString());
        }
      }
      if (!failures.isEmpty()) {
        throw new LaunchException(String.join("\n\n", failures)
            + "\n(what did start is left running for inspection: ./tern status, ./tern down)");
      }
    } finally {
      pool.shutdownNow();
    }

    long t = System.nanoTime();
    migrateSchema();
    out.printf("%-10s schema current in %.1f s%n", "keyspace", seconds(t));
    if (toStart.contains(tern)) {
      t = System.nanoTime();
      tern.start(layout);
    }
    tern.awaitReady(layout, TIMEOUT);
    if (toStart.contains(tern)) {
      out.printf("%-10s ready in %.1f s%n", tern.name(), seconds(t));
    }
    out.printf("federation healthy in %.1f s%n", seconds(t0));
  }

  /**
   * Cassandra 5.0 spreads schema by gossip: one process creates the keyspace and tables before
   * any region process starts, then a read at ALL proves both datacenters serve the keyspace.
   */
  private void migrateSchema() throws LaunchException {
    RegionConfig config = RegionConfig.load(layout.regionConfig(REGIONS.get(0)), Map.of());
    try (CassandraStorage storage = CassandraStorage.connect(config.cassandraConfig())) {
      storage.migrate();
      CqlSession session = storage.session();
      session.execute(SimpleStatement.newInstance("SELECT version FROM "
              + config.cassandra().keyspace() + ".schema_migrations WHERE version = 1")
          .setConsistencyLevel(DefaultConsistencyLevel.ALL));
    } catch (RuntimeException e) {
      throw new LaunchException("creating the keyspace failed: " + e
          + "\nlogs: " + layout.log("cassandra-region-a") + ", " + layout.log("cassandra-region-b"), e);
    }
  }

  /**
   * Restarts the Tern processes on this launcher's classpath and waits for their health, leaving
   * Cassandra, Redis, NATS and the stores running: how tests run fresh code on a running federation.
   */
  public void restartTern(PrintStream out) throws LaunchException, InterruptedException, IOException {
    stop(tern);
    long t = System.nanoTime();
    migrateSchema(); // new code may bring new migrations: applied once, before the processes start
    tern.start(layout);
    tern.awaitReady(layout, TIMEOUT);
    out.printf("%-10s restarted in %.1f s%n", tern.name(), seconds(t));
  }

  /**
   * Starts an extra edge-only process of {@code region} called {@code member}, its ports moved by
   * {@code portOffset} from the region's, and waits until its {@code /health} is green; for tests
   * of what happens across edge processes. Stop it with {@link #stopMember(String)}.
   */
  public Member startExtraEdge(String region, String member, int portOffset)
      throws IOException, LaunchException, InterruptedException {
    return startExtraEdge(region, member, portOffset, Map.of());
  }

  /** {@link #startExtraEdge(String, String, int)} with {@code env} ({@code TERN_*}) on top. */
  public Member startExtraEdge(String region, String member, int portOffset,
      Map<String, String> env) throws IOException, LaunchException, InterruptedException {
    RegionConfig c = RegionConfig.load(layout.regionConfig(region), Map.of());
    Member extra = new Member(member, List.of(
        new Endpoint(c.http().host(), c.http().port() + portOffset, "HTTP"),
        new Endpoint(c.xmpp().c2s().host(), c.xmpp().c2s().port() + portOffset, "XMPP STARTTLS"),
        new Endpoint(c.xmpp().directTls().host(), c.xmpp().directTls().port() + portOffset,
            "XMPP Direct TLS")));
    Map<String, String> vars = new java.util.HashMap<>(env);
    vars.putAll(Map.of(
        "TERN_ROLES", "edge",
        "TERN_HTTP_PORT", Integer.toString(extra.endpoints().get(0).port()),
        "TERN_XMPP_C2S_PORT", Integer.toString(extra.endpoints().get(1).port()),
        "TERN_XMPP_DIRECT_TLS_PORT", Integer.toString(extra.endpoints().get(2).port()),
        "TERN_XMPP_PROXY65_PORT", Integer.toString(c.xmpp().proxy65().port() + portOffset)));
    tern.spawn(layout, region, member, vars);
    tern.awaitHealthy(layout, member, List.of(extra), TIMEOUT);
    return extra;
  }

  /**
   * Restarts {@code region}'s Tern process with {@code env} over its config ({@code TERN_*}
   * variables, e.g. a fault to inject) and waits until its {@code /health} is green; an empty
   * {@code env} restores the normal process. A process that already exited is just started.
   */
  public void restartRegion(String region, Map<String, String> env)
      throws IOException, LaunchException, InterruptedException {
    String member = TernRegions.member(region);
    Processes.stop(layout, member, Duration.ofSeconds(10));
    tern.spawn(layout, region, member, env);
    tern.awaitHealthy(layout, member, tern.members().stream()
        .filter(m -> m.name().equals(member)).toList(), TIMEOUT);
  }

  /**
   * Starts one member of the infrastructure again (a Redis node, a NATS server, a Cassandra node) after it was
   * stopped or killed, and waits until its component is whole and ready again.
   */
  public void restartMember(String member)
      throws Exception {
    for (Component c : infrastructure()) {
      if (c.members().stream().anyMatch(m -> m.name().equals(member))) {
        c.startMember(layout, member);
        c.awaitReady(layout, c == cassandra ? CASSANDRA_TIMEOUT : TIMEOUT);
        return;
      }
    }
    throw new IllegalArgumentException("no such member: " + member);
  }

  /** Stops one member by its pid file (SIGTERM, then SIGKILL after 10 s). */
  public void stopMember(String member) throws IOException {
    Processes.stop(layout, member, Duration.ofSeconds(10));
  }

  /** Stops every member this launcher started (by pid file), Tern first, the rest in parallel. */
  public void down(PrintStream out) throws InterruptedException, IOException {
    stop(tern);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> stopping = new ArrayList<>();
      for (Component c : infrastructure()) {
        stopping.add(pool.submit(() -> {
          stop(c);
          return null;
        }));
      }
      for (Future<?> f : stopping) {
        try {
          f.get();
        } catch (ExecutionException e) {
          out.println("tern: " + e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void stop(Component c) throws IOException {
    for (Member m : c.members()) {
      Processes.stop(layout, m.name(), c.stopGrace());
    }
  }

  /** One member's state for {@code ./tern status}. */
  public record MemberStatus(String component, Member member, long pid, long rssKib,
      long peakKib, Path log) {
    public boolean running() {
      return pid > 0;
    }
  }

  public List<MemberStatus> status() {
    List<MemberStatus> out = new ArrayList<>();
    for (Component c : components()) {
      for (Member m : c.members()) {
        long pid = Processes.running(layout, m.name()).map(ProcessHandle::pid).orElse(0L);
        long[] mem = pid > 0 ? Processes.memoryKib(pid) : new long[] {0, 0};
        out.add(new MemberStatus(c.name(), m, pid, mem[0], mem[1], layout.log(m.name())));
      }
    }
    return out;
  }

  /** Stops everything, then deletes data, logs, configs and pid files (not downloaded jars). */
  public void reset(PrintStream out) throws IOException, InterruptedException {
    down(out);
    for (String dir : List.of("data", "log", "conf", "run")) {
      deleteTree(layout.home().resolve(dir));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}

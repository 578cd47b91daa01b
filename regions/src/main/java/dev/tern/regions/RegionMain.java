package dev.tern.regions;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.tern.directory.GlobalDirectory;
import dev.tern.edge.Edge;
import dev.tern.edge.EdgeStores;
import dev.tern.storage.fast.CassandraFastTokenStore;
import dev.tern.edge.http.HealthCheck;
import dev.tern.edge.http.HealthEndpoint;
import dev.tern.edge.http.HttpRoute;
import dev.tern.edge.http.HttpServer;
import dev.tern.edge.http.PrometheusMetrics;
import dev.tern.edge.directory.EdgePresence;
import dev.tern.edge.session.MicrometerSessionListener;
import dev.tern.edge.session.SessionListener;
import dev.tern.regions.admin.AdminEndpoints;
import dev.tern.storage.accounts.CassandraAccountStore;
import dev.tern.router.RegionRouter;
import dev.tern.router.RouterStores;
import dev.tern.directory.sm.RedisResumptionStore;
import dev.tern.storage.CassandraErrors;
import dev.tern.storage.CassandraStorage;
import dev.tern.storage.ServerSecrets;
import dev.tern.storage.archive.CassandraArchiveStore;
import dev.tern.storage.blocking.CassandraBlockListStore;
import dev.tern.storage.chats.CassandraChatHomeStore;
import dev.tern.storage.chats.CassandraChatLeaseStore;
import dev.tern.storage.messages.CassandraMessageStore;
import dev.tern.storage.messages.CassandraUnreadQueue;
import dev.tern.storage.pep.CassandraPepStore;
import dev.tern.storage.receipts.CassandraReceiptStore;
import dev.tern.storage.roster.CassandraLastActivityStore;
import dev.tern.storage.roster.CassandraRosterStore;
import dev.tern.storage.vcard.CassandraVCardStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Tern process of a region: its router and/or edge per {@code roles}, the HTTP port with
 * {@code /health} (every dependency's state) and {@code /metrics}.
 *
 * <p>Usage: {@code RegionMain --config regions/region-a/tern.yaml}.
 */
public final class RegionMain {

  private static final Logger log = LoggerFactory.getLogger(RegionMain.class);

  private RegionMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[0].equals("--config")) {
      System.err.println("usage: RegionMain --config <tern.yaml>");
      System.exit(2);
    }
    RegionConfig config;
    try {
      config = RegionConfig.load(Path.of(args[1]), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("tern: bad configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    Deque<AutoCloseable> open = new ArrayDeque<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping {}", config.region());
      closeAll(open);
      stopped.countDown();
    }, "tern-shutdown"));
    try {
      start(config, open);
    } catch (Exception e) {
      log.error("{} failed to start", config.region(), e);
      closeAll(open);
      System.exit(1);
    }
    stopped.await();
  }

  static void start(RegionConfig config, Deque<AutoCloseable> open) throws Exception {
    PrometheusMetrics metrics = PrometheusMetrics.create(config.region());
    open.push(metrics);
    CassandraStorage storage = CassandraStorage.connect(config.cassandraConfig());
    open.push(storage);
    var migrated = storage.migrate();
    log.info("schema of keyspace {} at v{}", config.cassandra().keyspace(), migrated.toVersion());
    GlobalDirectory directory = GlobalDirectory.connect(config.directoryConfig());
    open.push(directory);
    MediaStoreProbe media = new MediaStoreProbe(config.media());
    media.ensureBucket();

    Map<String, HealthCheck> checks = new LinkedHashMap<>();
    RegionRouter router = null;
    if (config.roles().contains("router")) {
      router = RegionRouter.start(config.routerConfig(),
          routerStores(storage, config.cassandra().keyspace(), config.messages().retention()),
          directory.presence(), directory.config().presence());
      open.push(router);
      checks.put("router-nats", router::pingNats);
    }
    List<HttpRoute> routes = new java.util.ArrayList<>();
    java.util.function.Consumer<io.netty.channel.ChannelPipeline> upgrades = pipeline -> { };
    if (config.roles().contains("edge")) {
      String ks = config.cassandra().keyspace();
      // Closed after the edge (LIFO), so that its entries go away at once on a clean stop.
      EdgePresence presence = EdgePresence.start(directory.presence(), config.region(),
          directory.config().presence(), config.directory().timeout());
      open.push(presence);
      ServerSecrets secrets = new ServerSecrets(storage.session(), ks);
      Edge edge = Edge.start(config.edgeConfig(), new EdgeStores(
              new CassandraAccountStore(storage.session(), ks),
              new CassandraFastTokenStore(storage.session(), ks),
              new RedisResumptionStore(directory.redis(), java.time.Duration.ofSeconds(90),
                  java.util.concurrent.ForkJoinPool.commonPool()),
              secrets.getOrCreate("sasl-unknown-user", 32),
              secrets.getOrCreate("bind2-resource-key", 32),
              secrets.getOrCreate("bearer-token-key", 32)),
          SessionListener.both(new MicrometerSessionListener(metrics.registry()), presence));
      open.push(edge);
      checks.putAll(edge.healthChecks());
      upgrades = edge.httpUpgrades();
    }
    checks.put("cassandra", storage::ping);
    checks.put("redis", directory::ping);
    checks.put("media", media::check);
    HealthEndpoint health = new HealthEndpoint(config.region(), checks,
        config.nats().timeout().plusSeconds(1));
    open.push(health);
    routes.add(health.route());
    routes.add(metrics.route());
    if (config.http().admin()) {
      AdminEndpoints admin = AdminEndpoints.start(config.region(), config.domain(),
          config.nats().servers(), config.nats().timeout(), config.nats().monitoring(), directory,
          router != null ? router::where : directory.presence()::where);
      open.push(admin);
      routes.addAll(admin.routes());
    }
    HttpServer http = HttpServer.start(
        new InetSocketAddress(config.http().host(), config.http().port()), routes, upgrades);
    open.push(http);
    log.info("{} up: roles {}, HTTP on {}", config.region(), config.roles(), http.address());
  }

  /** The router's stores on Cassandra, messages and their history kept for {@code retention}. */
  static RouterStores routerStores(CassandraStorage storage, String keyspace, Duration retention) {
    CqlSession session = storage.session();
    return new RouterStores(
        new CassandraMessageStore(session, keyspace, retention),
        new CassandraUnreadQueue(session, keyspace, retention),
        new CassandraArchiveStore(session, keyspace, retention),
        new CassandraReceiptStore(session, keyspace),
        new CassandraRosterStore(session, keyspace),
        new CassandraLastActivityStore(session, keyspace),
        new CassandraBlockListStore(session, keyspace),
        new CassandraAccountStore(session, keyspace),
        new CassandraChatLeaseStore(session, keyspace),
        new CassandraChatHomeStore(session, keyspace),
        new CassandraVCardStore(session, keyspace),
        new CassandraPepStore(session, keyspace),
        CassandraErrors.STORE_ERRORS);
  }

  private static void closeAll(Deque<AutoCloseable> open) {
    synchronized (open) {
      while (!open.isEmpty()) {
        AutoCloseable c = open.pop();
        try {
          c.close();
        } catch (Exception e) {
          log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
        }
      }
    }
  }
}

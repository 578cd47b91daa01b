package dev.tern.router;

import static java.util.Objects.requireNonNull;

import dev.tern.directory.GlobalDirectory;
import dev.tern.router.blocking.BlockLists;
import dev.tern.router.blocking.BlockingRouter;
import dev.tern.router.blocking.MessageGate;
import dev.tern.router.push.NatsOfflineHook;
import dev.tern.router.mam.MamArchive;
import dev.tern.router.mam.MamRouter;
import dev.tern.routing.NatsConnections;
import dev.tern.routing.RouterSubjects;
import dev.tern.storage.CassandraStorage;
import dev.tern.storage.blocking.CassandraBlockListStore;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A region router: joins its region's queue group on NATS and answers the edges' requests,
 * backed by the region's Cassandra datacenter and the global directory.
 */
public final class RegionRouter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RegionRouter.class);

  private final RouterConfig config;
  private final String id;
  private final Connection nats;
  private final CassandraStorage storage;
  private final GlobalDirectory directory;
  private final dev.tern.router.directory.DirectoryNearCache whereCache;
  private dev.tern.router.directory.@org.jspecify.annotations.Nullable DeadEdgeReaper reaper;

  private RegionRouter(RouterConfig config, Connection nats, CassandraStorage storage,
      GlobalDirectory directory) {
    this.config = config;
    this.id = config.region() + "-router-" + UUID.randomUUID().toString().substring(0, 8);
    this.nats = nats;
    this.storage = storage;
    this.directory = directory;
    this.whereCache = new dev.tern.router.directory.DirectoryNearCache(directory.presence(),
        directory.config().presence().nearCache());
  }

  /** Connects to NATS and starts answering requests on the region's router subjects. */
  public static RegionRouter start(RouterConfig config, CassandraStorage storage,
      GlobalDirectory directory) throws IOException, InterruptedException, TimeoutException {
    requireNonNull(config, "config");
    requireNonNull(storage, "storage");
    requireNonNull(directory, "directory");
    Connection nats = NatsConnections.connect(
        "tern-router-" + config.region(), config.natsServers(), config.natsTimeout());
    RegionRouter router = new RegionRouter(config, nats, storage, directory);
    Dispatcher dispatcher = nats.createDispatcher();
    String ks = storage.config().keyspace();
    CassandraBlockListStore blockLists = new CassandraBlockListStore(storage.session(), ks);
    BlockingRouter blocking = new BlockingRouter(nats, blockLists,
        BlockLists.of(blockLists, BlockLists.Settings.DEFAULTS));
    blocking.subscribe(dispatcher, config.region());
    var messages = new dev.tern.storage.messages.CassandraMessageStore(storage.session(), ks,
        config.retention());
    var archive = new dev.tern.storage.archive.CassandraArchiveStore(storage.session(), ks,
        config.retention());
    var unread = new dev.tern.storage.messages.CassandraUnreadQueue(storage.session(), ks);
    var receipts = new ReceiptRouter(nats,
        new dev.tern.storage.receipts.CassandraReceiptStore(storage.session(), ks), unread,
        messages);
    receipts.subscribe(dispatcher, config.region());
    new MessageRouter(nats, messages, unread, archive,
        new NatsOfflineHook(nats, config.region()), config.natsTimeout(),
        config.haltAfterPersist(), receipts, new MessageGate(nats, blocking.lists()))
        .subscribe(dispatcher, config.region());
    new MamRouter(nats, new MamArchive(archive, messages)).subscribe(dispatcher, config.region());
    var rosterRouter = new dev.tern.router.roster.RosterRouter(nats,
        new dev.tern.storage.roster.CassandraRosterStore(storage.session(), ks),
        new dev.tern.storage.roster.CassandraLastActivityStore(storage.session(), ks),
        java.time.Clock.systemUTC());
    rosterRouter.subscribe(dispatcher, config.region());
    router.reaper = new dev.tern.router.directory.DeadEdgeReaper(directory.presence(),
        config.region(), directory.config().presence().heartbeat(), rosterRouter::unavailable);
    dispatcher.subscribe(RouterSubjects.ping(config.region()), RouterSubjects.QUEUE_GROUP,
        msg -> nats.publish(msg.getReplyTo(), router.id.getBytes(StandardCharsets.UTF_8)));
    nats.flush(config.natsTimeout());
    log.info("router {} serving region {}", router.id, config.region());
    return router;
  }

  public String id() {
    return id;
  }

  /** Throws unless this router's NATS connection is up. */
  public void pingNats() {
    NatsConnections.requireConnected(nats);
  }

  /**
   * Where {@code bareJid} is connected per the global directory, at most
   * {@code directory.presence.nearCache} old; for operators and hints only: delivery goes by NATS
   * interest on the user's subject and never waits for this.
   */
  public java.util.concurrent.CompletionStage<dev.tern.directory.presence.UserLocation> where(
      String bareJid) {
    return whereCache.where(bareJid);
  }

  public CassandraStorage storage() {
    return storage;
  }

  public GlobalDirectory directory() {
    return directory;
  }

  public RouterConfig config() {
    return config;
  }

  @Override
  public void close() throws InterruptedException {
    if (reaper != null) {
      reaper.close();
    }
    nats.close();
  }
}

package dev.tern.router;

import static java.util.Objects.requireNonNull;

import dev.tern.directory.presence.PresenceDirectory;
import dev.tern.directory.presence.PresenceTiming;
import dev.tern.directory.presence.UserLocation;
import dev.tern.router.blocking.BlockLists;
import dev.tern.router.blocking.BlockingRouter;
import dev.tern.router.accounts.AccountRemoval;
import dev.tern.router.accounts.AccountsUnreadQueue;
import dev.tern.router.accounts.KnownAccounts;
import dev.tern.router.chats.ChatHomes;
import dev.tern.router.chats.ChatSequencer;
import dev.tern.router.directory.DeadEdgeReaper;
import dev.tern.router.directory.DirectoryNearCache;
import dev.tern.router.mam.MamArchive;
import dev.tern.router.mam.MamRouter;
import dev.tern.router.pep.PepRouter;
import dev.tern.router.push.NatsOfflineHook;
import dev.tern.router.roster.RosterRouter;
import dev.tern.router.vcard.VCardRouter;
import dev.tern.routing.MessageWire;
import dev.tern.routing.NatsConnections;
import dev.tern.routing.RouterSubjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A region router: joins its region's queue group on NATS and answers the edges' requests,
 * backed by the stores and the presence directory it is given (in the product, the region's
 * Cassandra datacenter and the global directory).
 */
public final class RegionRouter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RegionRouter.class);

  private final RouterConfig config;
  private final String id;
  private final Connection nats;
  private final PresenceDirectory presence;
  private final PresenceTiming timing;
  private final DirectoryNearCache whereCache;
  private @Nullable DeadEdgeReaper reaper;
  private @Nullable ChatSequencer sequencer;
  private final ScheduledExecutorService leaseKeeper = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "tern-chat-leases");
        t.setDaemon(true);
        return t;
      });

  RegionRouter(RouterConfig config, Connection nats, PresenceDirectory presence,
      PresenceTiming timing) {
    this.config = requireNonNull(config, "config");
    this.id = config.region() + "-router-" + UUID.randomUUID().toString().substring(0, 8);
    this.nats = requireNonNull(nats, "nats");
    this.presence = requireNonNull(presence, "presence");
    this.timing = requireNonNull(timing, "timing");
    this.whereCache = new DirectoryNearCache(presence, timing.nearCache());
  }

  /**
   * Connects to NATS and starts answering requests on the region's router subjects.
   *
   * @param presence the presence directory, whose dead edges this router reaps
   * @param timing the directory's heartbeat (how often to look for dead edges) and near cache
   */
  public static RegionRouter start(RouterConfig config, RouterStores stores,
      PresenceDirectory presence, PresenceTiming timing)
      throws IOException, InterruptedException, TimeoutException {
    requireNonNull(config, "config");
    requireNonNull(stores, "stores");
    requireNonNull(presence, "presence");
    requireNonNull(timing, "timing");
    Connection nats = NatsConnections.connect(
        "tern-router-" + config.region(), config.natsServers(), config.natsTimeout());
    RegionRouter router = new RegionRouter(config, nats, presence, timing);
    router.subscribe(stores, nats.createDispatcher());
    nats.flush(config.natsTimeout());
    log.info("router {} serving region {}", router.id, config.region());
    return router;
  }

  /** Builds the router's parts over {@code stores} and subscribes them on {@code dispatcher}. */
  void subscribe(RouterStores stores, Dispatcher dispatcher) {
    String region = config.region();
    ChatSequencer chats = new ChatSequencer(region, config.chats(), stores.chatLeases(),
        Clock.systemUTC());
    this.sequencer = chats;
    // The leases of this region's chats first, so the router numbers messages from its start.
    keepLeases(chats);
    Duration every = config.chats().lease().dividedBy(4);
    leaseKeeper.scheduleWithFixedDelay(() -> keepLeases(chats), every.toMillis(),
        every.toMillis(), TimeUnit.MILLISECONDS);
    dispatcher.subscribe(MessageWire.ALIVE_ANY,
        msg -> chats.heardFrom(MessageWire.aliveRegion(msg.getSubject())));
    BlockingRouter blocking = new BlockingRouter(nats, stores.blockLists(),
        BlockLists.of(stores.blockLists(), BlockLists.Settings.DEFAULTS));
    blocking.subscribe(dispatcher, region);
    KnownAccounts accounts = new KnownAccounts(stores.accounts(), Clock.systemUTC());
    var rosterRouter = new RosterRouter(nats, stores.rosters(), stores.lastActivity(),
        stores.errors(), Clock.systemUTC());
    new AccountRemoval(nats, stores.accounts(), rosterRouter::removeAll, stores.unread(),
        stores.blockLists(), stores.vcards(), stores.pep(), accounts)
        .subscribe(dispatcher, region);
    new VCardRouter(nats, stores.vcards(), blocking.lists(), accounts, Clock.systemUTC())
        .subscribe(dispatcher, region);
    var receipts = new ReceiptRouter(nats, stores.receipts(), stores.unread(), stores.messages());
    receipts.subscribe(dispatcher, region);
    MessageRouter messages = new MessageRouter(nats, stores.messages(),
        new AccountsUnreadQueue(stores.unread(), accounts),
        stores.archive(),
        new NatsOfflineHook(nats, region), config.natsTimeout(),
        config.haltAfterPersist(), receipts, new MessageGate(nats, blocking.lists(), accounts), chats,
        new ChatHomes(stores.chatHomes(), region, 100_000));
    messages.subscribe(dispatcher, region);
    leaseKeeper.scheduleWithFixedDelay(() -> {
      String backlog = messages.backlog();
      if (!backlog.isEmpty()) {
        log.info("messages: {}", backlog);
      }
    }, 10, 10, TimeUnit.SECONDS);
    new MamRouter(nats, new MamArchive(stores.archive(), stores.messages(), accounts))
        .subscribe(dispatcher, region);
    new PepRouter(nats, stores.pep(), stores.rosters(), stores.errors(), Clock.systemUTC())
        .subscribe(dispatcher, region);
    rosterRouter.subscribe(dispatcher, region);
    reaper = new DeadEdgeReaper(presence, region, timing.heartbeat(), rosterRouter::unavailable);
    dispatcher.subscribe(RouterSubjects.ping(region), RouterSubjects.QUEUE_GROUP,
        msg -> nats.publish(msg.getReplyTo(), id.getBytes(StandardCharsets.UTF_8)));
  }

  /** One round of lease keeping; tells the other routers this one is alive if it went well. */
  private void keepLeases(ChatSequencer chats) {
    try {
      if (chats.maintain()) {
        nats.publish(MessageWire.alive(config.region()), new byte[0]);
      }
    } catch (RuntimeException e) {
      log.error("chat lease keeping failed", e);
    }
  }

  /** This router's chat sequencer (its leases), for tests and metrics. */
  public ChatSequencer sequencer() {
    return requireNonNull(sequencer, "not started");
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
  public CompletionStage<UserLocation> where(String bareJid) {
    return whereCache.where(bareJid);
  }

  public RouterConfig config() {
    return config;
  }

  @Override
  public void close() throws InterruptedException {
    if (reaper != null) {
      reaper.close();
    }
    leaseKeeper.shutdownNow();
    if (sequencer != null) {
      sequencer.releaseAll(); // a successor need not wait for them to lapse
    }
    nats.close();
  }
}

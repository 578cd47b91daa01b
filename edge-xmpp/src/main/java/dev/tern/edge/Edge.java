package dev.tern.edge;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.disco.DiscoInfoHandler;
import dev.tern.edge.http.HealthCheck;
import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.im.NatsEdgeMessaging;
import dev.tern.edge.iq.IqDispatcher;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRegistry;
import dev.tern.edge.roster.EdgeRoster;
import dev.tern.edge.roster.NatsEdgeRoster;
import dev.tern.edge.bearer.BearerTokens;
import dev.tern.edge.bind2.Bind2Resources;
import dev.tern.edge.bytestreams.Bytestreams;
import dev.tern.edge.bytestreams.ProxyService;
import dev.tern.edge.bytestreams.Socks5Proxy;
import dev.tern.edge.fast.FastTokens;
import dev.tern.edge.sasl.SaslMechanisms;
import dev.tern.edge.sm.Resumption;
import dev.tern.edge.session.EdgeServices;
import dev.tern.edge.session.LocalSessions;
import dev.tern.edge.session.ModuleRegistry;
import dev.tern.edge.session.SessionListener;
import dev.tern.edge.tls.Certificates;
import dev.tern.edge.tls.KeyMaterial;
import dev.tern.edge.tls.TlsContexts;
import dev.tern.edge.transport.C2sListeners;
import dev.tern.edge.transport.WebSocketXmpp;
import dev.tern.routing.NatsConnections;
import dev.tern.routing.RouterSubjects;
import dev.tern.storage.accounts.AccountStore;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.netty.channel.ChannelPipeline;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An edge: the client listeners (STARTTLS, Direct TLS, and WebSocket on the HTTP port) and the
 * NATS connection to the region's routers (the queue group of {@link RouterSubjects}). Keeps no
 * durable state.
 */
public final class Edge implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Edge.class);

  private final EdgeConfig config;
  private final Connection nats;
  private final EdgeServices services;
  private final C2sListeners listeners;
  private final EdgeRoster roster;
  private final Optional<Socks5Proxy> socks5;

  private Edge(EdgeConfig config, Connection nats, EdgeServices services, C2sListeners listeners,
      EdgeRoster roster, Optional<Socks5Proxy> socks5) {
    this.config = config;
    this.nats = nats;
    this.services = services;
    this.listeners = listeners;
    this.roster = roster;
    this.socks5 = socks5;
  }

  /**
   * Loads or generates the certificate, connects to NATS and opens the client listeners.
   */
  public static Edge start(EdgeConfig config, EdgeStores stores, SessionListener listener)
      throws Exception {
    requireNonNull(config, "config");
    requireNonNull(stores, "stores");
    AccountStore accounts = stores.accounts();
    EdgeConfig.Tls tls = config.tls();
    KeyMaterial key = tls.certificateChain().isPresent()
        ? Certificates.fromPem(tls.certificateChain().get(), tls.privateKey().orElseThrow())
        : Certificates.selfSigned(config.domain(), tls.generatedDir());
    Connection nats = NatsConnections.connect(
        "tern-edge-" + config.region(), config.natsServers(), config.natsTimeout());
    EdgeRoster roster = new NatsEdgeRoster(nats, config.region(), config.natsTimeout().multipliedBy(3));
    EdgeMessaging messaging =
        new NatsEdgeMessaging(nats, config.region(), config.natsTimeout().multipliedBy(3));
    LocalSessions sessions = new LocalSessions();
    BearerTokens bearer = BearerTokens.of(stores.bearerKey());
    long started = System.nanoTime();
    Optional<Socks5Proxy> socks5 = Optional.empty();
    Optional<ProxyService> proxy = Optional.empty();
    if (config.proxy().isPresent()) {
      EdgeConfig.Proxy p = config.proxy().get();
      Bytestreams bytestreams = new Bytestreams(Duration.ofMinutes(1), 1_000);
      try {
        socks5 = Optional.of(Socks5Proxy.start(p.listen(), bytestreams));
      } catch (InterruptedException | RuntimeException e) {
        nats.close();
        throw e;
      }
      proxy = Optional.of(new ProxyService(p.address(), p.publicHost(),
          socks5.get().address().getPort(), bytestreams));
    }
    ModuleRegistry modules = new ModuleRegistry(EdgeModules.of(new EdgeModules.Parts(config, nats,
        messaging, roster, sessions,
        new Resumption(stores.resumption(), Resumption.Settings.DEFAULTS), bearer, accounts,
        () -> Duration.ofNanos(System.nanoTime() - started), proxy)));
    IqRegistry iqs = new IqRegistry();
    modules.modules().forEach(m -> m.iqHandlers().forEach(iqs::register));
    modules.modules().forEach(m -> m.services().forEach(iqs::host));
    modules.modules().forEach(m -> iqs.announce(IqRegistration.Addressing.SERVER,
        m.serverFeatures()));
    // XEP-0030: what the registry holds is what disco advertises
    iqs.register(new DiscoInfoHandler.Items(iqs))
        .register(new DiscoInfoHandler(iqs, IqRegistration.Addressing.SERVER))
        .register(new DiscoInfoHandler(iqs, IqRegistration.Addressing.OWN_ACCOUNT));
    EdgeServices services = new EdgeServices(config, switch (tls.provider()) {
          case OPENSSL -> TlsContexts.openSslServer(key);
          case JDK -> TlsContexts.server(key);
        },
        SaslMechanisms.of(accounts, stores.unknownUserSecret()),
        new IqDispatcher(iqs, messaging), modules, sessions,
        FastTokens.of(stores.fastTokens(), accounts), Bind2Resources.of(stores.bind2Key()), bearer, listener);
    messaging.onResubscribed(sessions::natsReconnected);
    C2sListeners listeners;
    try {
      listeners = C2sListeners.start(services);
    } catch (Exception e) {
      socks5.ifPresent(Socks5Proxy::close);
      nats.close();
      throw e;
    }
    log.info("edge of {} serving XMPP on {} (STARTTLS) and {} (Direct TLS) for {}", config.region(),
        listeners.c2sAddress(), listeners.directTlsAddress(), config.domain());
    return new Edge(config, nats, services, listeners, roster, socks5);
  }

  /** What the region's HTTP port adds for this edge: XMPP over WebSocket at {@code /ws}. */
  public Consumer<ChannelPipeline> httpUpgrades() {
    return pipeline -> {
      if (config.webSocket()) {
        WebSocketXmpp.install(pipeline, services);
      }
    };
  }

  /** {@code nats}: the edge's connection is up; {@code router}: a router of the region answers. */
  public Map<String, HealthCheck> healthChecks() {
    Map<String, HealthCheck> checks = new LinkedHashMap<>();
    checks.put("nats", () -> NatsConnections.requireConnected(nats));
    checks.put("router", () -> pingRouter(config.natsTimeout()));
    return checks;
  }

  /** One request/reply round trip to any router of the region, through its queue group. */
  private void pingRouter(Duration timeout) throws InterruptedException {
    Message reply = nats.request(RouterSubjects.ping(config.region()), new byte[0], timeout);
    if (reply == null) {
      throw new IllegalStateException(
          "no router of " + config.region() + " answered within " + timeout);
    }
  }

  public EdgeConfig config() {
    return config;
  }

  /** Where the STARTTLS listener is bound: the configured port, or the one chosen for port 0. */
  public InetSocketAddress c2sAddress() {
    return listeners.c2sAddress();
  }

  /** Where the Direct TLS listener is bound: the configured port, or the one chosen for port 0. */
  public InetSocketAddress directTlsAddress() {
    return listeners.directTlsAddress();
  }

  public EdgeServices services() {
    return services;
  }

  @Override
  public void close() throws InterruptedException {
    listeners.close(); // every session ends and announces its unavailable presence
    socks5.ifPresent(Socks5Proxy::close);
    // A clean stop takes the sessions out of the directory at once, so no router will announce
    // them later as a dead edge's: their presence must reach a router before NATS closes.
    Duration limit = config.natsTimeout().multipliedBy(2);
    if (!roster.settle(limit)) {
      log.warn("stopping with {} unavailable presence broadcasts still unanswered after {}",
          roster.presenceInFlight(), limit);
    }
    nats.close();
  }
}

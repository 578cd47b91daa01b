package dev.tern.regions.inprocess;

import dev.tern.directory.presence.InMemoryPresenceDirectory;
import dev.tern.directory.presence.PresenceTiming;
import dev.tern.directory.sm.InMemoryResumptionStore;
import dev.tern.edge.Edge;
import dev.tern.edge.EdgeConfig;
import dev.tern.edge.EdgeStores;
import dev.tern.edge.directory.EdgePresence;
import dev.tern.router.RegionRouter;
import dev.tern.router.RouterConfig;
import dev.tern.router.RouterStores;
import dev.tern.storage.accounts.AccountStore;
import dev.tern.storage.fast.InMemoryFastTokenStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One region in the test's JVM, wired as {@code RegionMain} wires a process with the roles edge
 * and router, but over in-memory stores: one local {@code nats-server} child process
 * ({@link LocalNatsServer}), a {@link RegionRouter} over {@link RouterStores#inMemory()} and an
 * {@link InMemoryPresenceDirectory}, and an {@link Edge} over in-memory accounts, FAST tokens and
 * resumable streams, with in-band registration open and a self-signed certificate generated under
 * a temporary directory. Everything listens on loopback ports chosen at run time, so it runs
 * beside a local federation.
 *
 * <p>A JUnit extension: {@code @RegisterExtension static final InProcessRegion region = new
 * InProcessRegion();} starts the region before the class's first test and stops all of it, the
 * nats-server process included, after its last, also when a test or the start fails. Smack
 * connections made with {@link #tcp()} and {@link #directTls()} are disconnected after each test.
 */
public final class InProcessRegion implements BeforeAllCallback, AfterEachCallback,
    AfterAllCallback {

  public static final String REGION = "inprocess";
  public static final String DOMAIN = "localhost";
  public static final String PASSWORD = "correct horse battery staple";

  private static final Logger log = LoggerFactory.getLogger(InProcessRegion.class);
  private static final Duration NATS_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private final List<AbstractXMPPConnection> connections = new CopyOnWriteArrayList<>();
  private Path dir;
  private LocalNatsServer nats;
  private RouterStores stores;
  private AccountStore accounts;
  private InMemoryPresenceDirectory presence;
  private RegionRouter router;
  private Edge edge;
  private X509TrustManager trust;
  private final java.util.function.UnaryOperator<RouterStores> storesFor;

  /** A region over fresh in-memory stores. */
  public InProcessRegion() {
    this(java.util.function.UnaryOperator.identity());
  }

  /** A region over what {@code storesFor} makes of fresh in-memory stores (e.g. a slow one). */
  public InProcessRegion(java.util.function.UnaryOperator<RouterStores> storesFor) {
    this.storesFor = storesFor;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (AbstractXMPPConnection c : connections) {
      if (c.isConnected()) {
        c.disconnect();
      }
    }
    connections.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  /** Starts NATS, the router and the edge, in that order; on a failure stops what started. */
  void start() throws Exception {
    try {
      dir = Files.createTempDirectory("tern-inprocess");
      nats = LocalNatsServer.start(dir.resolve("nats"));
      open.push(nats);
      List<String> servers = List.of(nats.url());

      stores = storesFor.apply(RouterStores.inMemory());
      presence = new InMemoryPresenceDirectory(Clock.systemUTC());
      router = RegionRouter.start(new RouterConfig(REGION, servers, NATS_TIMEOUT), stores,
          presence, PresenceTiming.DEFAULTS);
      open.push(router);

      EdgePresence edgePresence =
          EdgePresence.start(presence, REGION, PresenceTiming.DEFAULTS, NATS_TIMEOUT);
      open.push(edgePresence);
      accounts = stores.accounts(); // the router asks whether a recipient exists
      InetSocketAddress anyPort = new InetSocketAddress("127.0.0.1", 0);
      EdgeConfig config = new EdgeConfig(REGION, DOMAIN, servers, NATS_TIMEOUT, anyPort, anyPort,
          false, true,
          new EdgeConfig.Tls(Optional.empty(), Optional.empty(), dir.resolve("tls"),
              EdgeConfig.Tls.TlsProvider.OPENSSL),
          // the defaults of defaults.yaml
          new EdgeConfig.Limits(256 * 1024, 64, 64, Duration.ofSeconds(30),
              EdgeConfig.Limits.DEFAULT_CONNECTION_RATE_PER_IP,
              EdgeConfig.Limits.DEFAULT_CONNECTION_BURST_PER_IP, 64 * 1024, 512 * 1024,
              Duration.ofSeconds(10), EdgeConfig.Limits.DEFAULT_MAX_STANZAS_IN_FLIGHT,
              100_000, 1_000), // as the local federation: tests register many users
          Optional.empty());
      edge = Edge.start(config, new EdgeStores(accounts, new InMemoryFastTokenStore(),
          new InMemoryResumptionStore(Clock.systemUTC(), Duration.ofSeconds(90)),
          secret(), secret(), secret()), edgePresence);
      open.push(edge);
      trust = trustManager(certificate(dir.resolve("tls").resolve(DOMAIN + ".crt.pem")));
      log.info("in-process region: NATS {}, XMPP {} (STARTTLS) and {} (Direct TLS)", nats.url(),
          edge.c2sAddress(), edge.directTlsAddress());
    } catch (Exception | Error e) {
      stop();
      throw e;
    }
  }

  /** Stops the edge, then the router, then NATS, and removes the temporary directory. */
  void stop() {
    afterEach(null);
    while (!open.isEmpty()) {
      AutoCloseable c = open.pop();
      try {
        c.close();
      } catch (Exception e) {
        log.warn("stopping {} failed", c.getClass().getSimpleName(), e);
      }
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        log.warn("could not remove {}", dir, e);
      }
      dir = null;
    }
  }

  private static byte[] secret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private static X509Certificate certificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** Trusts exactly the edge's generated certificate, as a client told of it would (no trust-all). */
  private static X509TrustManager trustManager(X509Certificate certificate) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("tern", certificate);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return (X509TrustManager) tmf.getTrustManagers()[0];
  }

  /** The router's stores: what it persisted, queued and archived, to look at from a test. */
  public RouterStores stores() {
    return stores;
  }

  /** The edge's accounts (SCRAM credentials), where in-band registration puts them. */
  public AccountStore accounts() {
    return accounts;
  }

  /** The presence directory the edge registers its sessions in and the router reads. */
  public InMemoryPresenceDirectory presence() {
    return presence;
  }

  public RegionRouter router() {
    return router;
  }

  public Edge edge() {
    return edge;
  }

  /** The local NATS server's client URL, {@code nats://127.0.0.1:<port>}. */
  public String natsUrl() {
    return nats.url();
  }

  /** A Smack connection, not yet connected, on the STARTTLS port with STARTTLS required. */
  public XMPPTCPConnection tcp() throws Exception {
    InetSocketAddress c2s = edge.c2sAddress();
    XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
        .setXmppDomain(DOMAIN)
        .setHostAddress(c2s.getAddress())
        .setPort(c2s.getPort())
        .setSecurityMode(SecurityMode.required)
        .setCustomX509TrustManager(trust)
        .setConnectTimeout((int) REPLY_TIMEOUT.toMillis())
        .build());
    c.setReplyTimeout(REPLY_TIMEOUT.toMillis());
    connections.add(c);
    return c;
  }

  /** A Smack connection, not yet connected, on the Direct TLS port (XEP-0368). */
  public XMPPTCPConnection directTls() throws Exception {
    InetSocketAddress direct = edge.directTlsAddress();
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, new TrustManager[] {trust}, null);
    XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
        .setXmppDomain(DOMAIN)
        .setHostAddress(direct.getAddress())
        .setPort(direct.getPort())
        .setSocketFactory(ssl.getSocketFactory())
        // TLS is already there; Smack must not try STARTTLS on top of it.
        .setSecurityMode(SecurityMode.disabled)
        .setConnectTimeout((int) REPLY_TIMEOUT.toMillis())
        .build());
    c.setReplyTimeout(REPLY_TIMEOUT.toMillis());
    connections.add(c);
    return c;
  }

  /** Registers a fresh user in band (XEP-0077) with {@link #PASSWORD}; returns its username. */
  public String registerNewUser(String name) throws Exception {
    String user = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    XMPPTCPConnection c = tcp();
    try {
      c.connect();
      AccountManager.getInstance(c).createAccount(Localpart.from(user), PASSWORD);
    } finally {
      c.disconnect();
      connections.remove(c);
    }
    return user;
  }

  /** Connects {@code connection} and logs {@code user} in; returns the connection. */
  public static <C extends AbstractXMPPConnection> C login(C connection, String user)
      throws Exception {
    connection.connect();
    connection.login(user, PASSWORD);
    return connection;
  }

  /** {@code user@localhost}. */
  public static EntityBareJid jid(String user) {
    try {
      return JidCreate.entityBareFrom(user + "@" + DOMAIN);
    } catch (org.jxmpp.stringprep.XmppStringprepException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The bare JID as the stores key it. */
  public static String bare(String user) {
    return user + "@" + DOMAIN;
  }
}

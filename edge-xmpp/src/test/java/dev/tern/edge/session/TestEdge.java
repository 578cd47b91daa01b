package dev.tern.edge.session;

import dev.tern.directory.sm.InMemoryResumptionStore;
import dev.tern.directory.sm.ResumptionStore;
import dev.tern.edge.EdgeConfig;
import dev.tern.edge.bearer.BearerTokenHandler;
import dev.tern.edge.bearer.BearerTokens;
import dev.tern.edge.bind2.Bind2Resources;
import dev.tern.edge.carbons.CarbonsModule;
import dev.tern.edge.chatstates.ChatStatesModule;
import dev.tern.edge.codec.XmppFrameDecoder;
import dev.tern.edge.codec.XmppStreamDecoder;
import dev.tern.edge.bytestreams.Bytestreams;
import dev.tern.edge.bytestreams.BytestreamsModule;
import dev.tern.edge.bytestreams.ProxyService;
import dev.tern.edge.disco.DiscoInfoHandler;
import dev.tern.edge.csi.CsiModule;
import dev.tern.edge.fast.FastTokens;
import dev.tern.edge.im.MessagingModule;
import dev.tern.edge.iq.IqDispatcher;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRegistry;
import dev.tern.edge.last.LastActivityHandler;
import dev.tern.edge.offline.OfflineModule;
import dev.tern.edge.pep.PepModule;
import dev.tern.edge.mam.MamPrefsHandler;
import dev.tern.edge.ping.PingHandler;
import dev.tern.edge.presence.PresenceModule;
import dev.tern.edge.register.AccountChanges;
import dev.tern.xmpp.jid.Jid;
import dev.tern.edge.register.NatsAccountChanges;
import dev.tern.edge.register.RegisterHandler;
import dev.tern.edge.roster.RosterHandler;
import dev.tern.edge.sasl.SaslMechanisms;
import dev.tern.edge.sasl.ScramCredentials;
import dev.tern.edge.sid.StanzaIdModule;
import dev.tern.edge.sm.Resumption;
import dev.tern.edge.sm.StreamManagementModule;
import dev.tern.edge.stream.TcpStreamWriter;
import dev.tern.edge.stream.WebSocketStreamWriter;
import dev.tern.edge.tls.Certificates;
import dev.tern.edge.tls.KeyMaterial;
import dev.tern.edge.tls.TlsContexts;
import dev.tern.edge.transport.InboundRateLimiter;
import dev.tern.edge.vcard.VCardHandler;
import dev.tern.edge.version.VersionHandler;
import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.InMemoryAccountStore;
import dev.tern.storage.accounts.StoredCredential;
import dev.tern.storage.fast.InMemoryFastTokenStore;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One edge for session tests: the services every session of an edge shares, built as
 * {@code Edge.start} builds them but over in-memory stores and fake router clients, and client
 * connections on {@link EmbeddedChannel}s with the real rate limiter, decoder, stream writer and
 * {@link XmppSession}. Everything runs on the test's thread; time moves only when a test moves
 * it ({@link TestClient#advance}).
 */
public final class TestEdge {

  public static final String DOMAIN = "localhost";

  private static final byte[] SECRET =
      "a secret of thirty-two bytes....".getBytes(StandardCharsets.US_ASCII);
  /** Made on first use: only a STARTTLS would use it, and making it takes seconds. */
  private static final SslContext TLS = new LazySslContext(() -> TlsContexts.server(Key.MATERIAL));
  private static final Map<String, Map<String, StoredCredential>> CREDENTIALS =
      new ConcurrentHashMap<>();

  private final FakeMessaging messaging = new FakeMessaging();
  private final FakeRoster roster = new FakeRoster();
  private final FakeVCards vcards = new FakeVCards();
  private final Bytestreams bytestreams = new Bytestreams(Duration.ofMinutes(1), 10);
  private final FakePep pep = new FakePep();
  private final InMemoryAccountStore accounts = new InMemoryAccountStore();
  private final ResumptionStore resumption;
  private final EdgeServices services;
  private final List<TestClient> clients = new ArrayList<>();
  private final AtomicInteger hashings = new AtomicInteger();

  private TestEdge(boolean registration, ResumptionStore resumption) {
    this(registration, resumption, EdgeConfig.Limits.DEFAULT_CONNECTION_RATE_PER_IP,
        EdgeConfig.Limits.DEFAULT_CONNECTION_BURST_PER_IP);
  }

  private TestEdge(boolean registration, ResumptionStore resumption, int connectionRate,
      int connectionBurst) {
    this.resumption = resumption;
    messaging.settleWith(() -> clients.forEach(TestClient::run));
    EdgeConfig config = new EdgeConfig("test", DOMAIN, List.of(), Duration.ofSeconds(1),
        InetSocketAddress.createUnresolved("localhost", 5222),
        InetSocketAddress.createUnresolved("localhost", 5223), true, registration,
        new EdgeConfig.Tls(Optional.empty(), Optional.empty(), Path.of("unused"),
            EdgeConfig.Tls.TlsProvider.JDK),
        new EdgeConfig.Limits(256 * 1024, 64, 64, Duration.ofSeconds(30), connectionRate,
            connectionBurst, 1 << 20, 1 << 20, Duration.ofSeconds(10)), Optional.empty());
    BearerTokens bearer = BearerTokens.of(SECRET);
    LocalSessions sessions = new LocalSessions();
    // The modules of EdgeModules, less the IQ handlers that speak NATS themselves (MAM,
    // blocking, receipt status); vCards over a fake router client.
    List<EdgeModule> list = new ArrayList<>(List.of(
        EdgeModule.answering(new PingHandler()),
        EdgeModule.answering(new VersionHandler()),
        EdgeModule.answering(new BearerTokenHandler(bearer)),
        new StanzaIdModule(DOMAIN),
        new CsiModule(),
        new StreamManagementModule(new Resumption(resumption, Resumption.Settings.DEFAULTS)),
        new CarbonsModule(messaging, sessions),
        new PepModule(pep),
        new PresenceModule(messaging, roster),
        EdgeModule.answering(new RosterHandler(roster), new RosterHandler.OfOthers()),
        EdgeModule.answering(new LastActivityHandler(roster),
            new LastActivityHandler.Uptime(() -> Duration.ofSeconds(1))),
        new ChatStatesModule(messaging),
        new MessagingModule(messaging),
        new OfflineModule(messaging, sessions),
        EdgeModule.answering(new MamPrefsHandler()),
        EdgeModule.answering(VCardHandler.all(vcards)),
        new BytestreamsModule(new ProxyService("proxy." + DOMAIN, "127.0.0.1", 7777,
            bytestreams))));
    list.add(EdgeModule.answering(new RegisterHandler(DOMAIN, accounts, new AccountChanges() {
      @Override
      public CompletionStage<Void> remove(Jid user) { // as a router does it, here at once
        return accounts.delete(user.local().orElseThrow()).thenApply(removed -> null);
      }

      @Override
      public void announceRemoval(Jid user) {
        NatsAccountChanges.closeSessions(sessions, user, null, "the account was removed");
      }

      @Override
      public void announcePasswordChange(Jid kept) {
        NatsAccountChanges.closeSessions(sessions, kept, kept, "the password was changed");
      }
    }, registration, task -> {
      hashings.incrementAndGet();
      task.run(); // on the test's thread, like everything else
    })));
    ModuleRegistry modules = new ModuleRegistry(list);
    IqRegistry iqs = new IqRegistry();
    modules.modules().forEach(m -> m.iqHandlers().forEach(iqs::register));
    modules.modules().forEach(m -> m.services().forEach(iqs::host));
    modules.modules().forEach(m -> iqs.announce(IqRegistration.Addressing.SERVER,
        m.serverFeatures()));
    iqs.register(new DiscoInfoHandler.Items(iqs))
        .register(new DiscoInfoHandler(iqs, IqRegistration.Addressing.SERVER))
        .register(new DiscoInfoHandler(iqs, IqRegistration.Addressing.OWN_ACCOUNT));
    services = new EdgeServices(config, TLS,
        SaslMechanisms.builder(accounts).unknownUserSecret(SECRET)
            .passwordHashing(Runnable::run) // on the test's thread, like everything else
            .build(),
        new IqDispatcher(iqs, messaging), modules, sessions,
        FastTokens.of(new InMemoryFastTokenStore(), accounts), Bind2Resources.of(SECRET), bearer,
        SessionListener.NONE);
  }

  /** An edge without in-band registration, with a resumption store of its own. */
  public static TestEdge create() {
    return new TestEdge(false, newResumptionStore());
  }

  /** An edge whose resumption store is {@code resumption} (e.g. one that answers late). */
  public static TestEdge withResumptionStore(ResumptionStore resumption) {
    return new TestEdge(false, resumption);
  }

  /** An edge with in-band registration (XEP-0077) open. */
  public static TestEdge withRegistration() {
    return new TestEdge(true, newResumptionStore());
  }

  /** An edge that admits {@code burst} new connections per address, then {@code perSecond}. */
  public static TestEdge withConnectionRate(int perSecond, int burst) {
    return new TestEdge(false, newResumptionStore(), perSecond, burst);
  }

  /** Another edge of the same region: it shares this one's resumption store, nothing else. */
  public TestEdge sibling() {
    return new TestEdge(false, resumption);
  }

  private static ResumptionStore newResumptionStore() {
    return new InMemoryResumptionStore(Clock.systemUTC(), Duration.ofMinutes(1));
  }

  /** An account with {@code password}, as in-band registration creates it. */
  public TestEdge account(String username, String password) {
    // Salting and hashing takes thousands of HMACs: once per password for all tests.
    Map<String, StoredCredential> credentials = CREDENTIALS.computeIfAbsent(password,
        p -> ScramCredentials.forPassword(p.toCharArray(), new SecureRandom()));
    boolean created = accounts.create(new Account(username, Instant.now(), credentials))
        .toCompletableFuture().join();
    if (!created) {
      throw new IllegalStateException(username + " exists already");
    }
    return this;
  }

  public FakeMessaging messaging() {
    return messaging;
  }

  public FakeRoster roster() {
    return roster;
  }

  /** The bytestreams of the edge's proxy (XEP-0065), which has no SOCKS5 listener here. */
  public Bytestreams bytestreams() {
    return bytestreams;
  }

  public FakeVCards vcards() {
    return vcards;
  }

  public FakePep pep() {
    return pep;
  }

  public InMemoryAccountStore accounts() {
    return accounts;
  }

  /** How many passwords in-band registration and password changes salted and hashed. */
  public int passwordHashings() {
    return hashings.get();
  }

  public EdgeServices services() {
    return services;
  }

  /**
   * A client on XMPP over WebSocket (RFC 7395), as {@code WebSocketXmpp} installs it after the
   * upgrade: framed, each text message one element. The HTTP port counts as secure (loopback or
   * behind a TLS proxy), so no STARTTLS; the frames go in as the text the upgrade's decoder
   * takes out of them.
   */
  public TestClient webSocket() {
    return webSocketFrom(null);
  }

  /** As {@link #webSocket()}, from the client address {@code ip} (an IP literal). */
  public TestClient webSocketFrom(@Nullable String ip) {
    EmbeddedChannel channel = newChannel(ip);
    channel.pipeline().addLast("xml", new XmppFrameDecoder(services.xmlLimits()));
    channel.pipeline().addLast("session", new XmppSession(services,
        SessionListener.Transport.WEBSOCKET, new WebSocketStreamWriter(channel), false));
    return register(new TestClient(channel, true));
  }

  /** A client on the STARTTLS port (RFC 6120 §5): a plain TCP stream that must negotiate TLS. */
  public TestClient tcp() {
    EmbeddedChannel channel = newChannel(null);
    channel.pipeline().addLast("xml", new XmppStreamDecoder(services.xmlLimits()));
    channel.pipeline().addLast("session", new XmppSession(services,
        SessionListener.Transport.TCP, new TcpStreamWriter(channel), false));
    return register(new TestClient(channel, false));
  }

  /**
   * A client on the Direct TLS port (XEP-0368) as the session sees it behind its TLS layer: the
   * stream is encrypted from the start, so PLAIN is offered; the TLS handler itself is left out
   * (no channel binding, so no -PLUS mechanisms).
   */
  public TestClient directTls() {
    EmbeddedChannel channel = newChannel(null);
    channel.pipeline().addLast("xml", new XmppStreamDecoder(services.xmlLimits()));
    channel.pipeline().addLast("session", new XmppSession(services,
        SessionListener.Transport.DIRECT_TLS, new TcpStreamWriter(channel), true));
    return register(new TestClient(channel, false));
  }

  /**
   * A client on the STARTTLS port that has negotiated TLS (RFC 6120 §5.4) with a real handshake:
   * the session holds a TLS handler with channel bindings, so the -PLUS mechanisms are offered
   * once the client opens its stream again ({@link TestClient#open}).
   */
  public TestClient tcpWithTls() {
    TestClient client = tcp();
    client.open();
    client.startTls(TlsContexts.client(Key.MATERIAL.chain()));
    return client;
  }

  /** The edge's self-signed certificate and key, made once for all tests. */
  private static final class Key {
    static final KeyMaterial MATERIAL = make();

    private static KeyMaterial make() {
      try {
        return Certificates.selfSigned(DOMAIN, Files.createTempDirectory("tern-session-tests"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** An embedded channel whose peer is an IP address, as an accepted socket's is. */
  private static final class FromAddress extends EmbeddedChannel {
    private final InetSocketAddress remote;

    FromAddress(String ip) {
      try {
        this.remote = new InetSocketAddress(InetAddress.getByName(ip), 40000); // a literal: no DNS
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(ip, e);
      }
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return remote;
    }
  }

  private TestClient register(TestClient client) {
    clients.add(client);
    return client;
  }

  /** A connection from {@code ip}, or from no IP address at all (Netty's embedded address). */
  private EmbeddedChannel newChannel(@Nullable String ip) {
    EmbeddedChannel channel = ip == null ? new EmbeddedChannel() : new FromAddress(ip);
    channel.freezeTime(); // scheduled work (the offline fallback, timeouts) waits for advance()
    EdgeConfig.Limits l = services.config().limits();
    channel.pipeline().addLast("rate",
        new InboundRateLimiter(l.bytesPerSecond(), l.burstBytes(), l.floodTolerance()));
    return channel;
  }
}

package dev.tern.edge.session;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.codec.XmppStreamDecoder;
import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.sasl2.Sasl2;
import dev.tern.edge.stream.ReadGate;
import dev.tern.edge.stream.StreamWriter;
import dev.tern.edge.tls.OpenSslExporter;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.StreamErrorException;
import dev.tern.xmpp.xml.StreamEvent;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlNamespaces;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's stream, from the first header to the close: the state machine of RFC 6120 —
 * STARTTLS (§5), SASL (§6, in {@link Authentication}), resource binding (§7) — and the in-order
 * dispatch of what follows (§8, §10.1) to the feature modules of {@link ModuleRegistry}, which
 * hold everything a XEP adds. The same handler serves TCP, Direct TLS and WebSocket; only the
 * {@link StreamWriter} and the decoder in front of it differ.
 */
public final class XmppSession extends ChannelInboundHandlerAdapter implements Session {

  private static final Logger log = LoggerFactory.getLogger(XmppSession.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
  private static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final EdgeServices services;
  private final SessionListener.Transport transport;
  private final StreamWriter writer;
  private final @Nullable String bearerUser;
  /** SASL and SASL2 until the stream authenticated; then nothing, an idle session is small. */
  private @Nullable Authentication authentication;
  /** This session's part of each module, and the hook chains through them. */
  private final SessionHooks hooks;
  /** The client's stanzas, taking effect in the order received (RFC 6120 §10.1). */
  private final InboundOrder inbound;
  private SessionState state = SessionState.AWAIT_HEADER;
  private final StartTls tls;
  private boolean headerSent;
  private @Nullable PreAuthentication preAuth;
  private final Binding binding;
  private @Nullable String username;
  /** The bound full JID; cleared when a newer session took it over. */
  private @Nullable Jid fullJid;
  /** The JID this session registered in {@link LocalSessions}, to unregister it at the end. */
  private @Nullable Jid registered;
  private @Nullable ChannelHandlerContext ctx;
  private SessionModule.Ending ending = SessionModule.Ending.LOST;

  public XmppSession(EdgeServices services, SessionListener.Transport transport,
      StreamWriter writer, boolean tlsFromStart) {
    this(services, transport, writer, tlsFromStart, null);
  }

  /**
   * @param bearerUser the user a bearer token on the WebSocket upgrade authenticated; the stream
   *     then starts authenticated, ready for resource binding
   */
  public XmppSession(EdgeServices services, SessionListener.Transport transport,
      StreamWriter writer, boolean tlsFromStart, @Nullable String bearerUser) {
    this.bearerUser = bearerUser;
    this.services = requireNonNull(services, "services");
    this.transport = requireNonNull(transport, "transport");
    this.writer = requireNonNull(writer, "writer");
    this.tls = new StartTls(services, transport, tlsFromStart);
    this.authentication = new Authentication(this, services);
    this.preAuth = new PreAuthentication(services);
    this.binding = new Binding(this, services);
    this.hooks = new SessionHooks(services.modules(), this);
    this.inbound = new InboundOrder(this, this::onStanza,
        read -> ReadGate.hold(requireNonNull(ctx).channel(), !read),
        services.config().limits().maxStanzasInFlight());
  }

  // ---- what modules see (Session) ----

  @Override
  public SessionState state() {
    return state;
  }

  @Override
  public Optional<Jid> jid() {
    return Optional.ofNullable(fullJid);
  }

  @Override
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  @Override
  public String domain() {
    return services.config().domain();
  }

  @Override
  public SessionListener.Transport transport() {
    return transport;
  }

  @Override
  public SessionListener listener() {
    return services.listener();
  }

  @Override
  public EventExecutor executor() {
    return requireNonNull(ctx, "not started").executor();
  }

  @Override
  public boolean writable() {
    return ctx != null && ctx.channel().isWritable();
  }

  @Override
  public boolean secure() {
    return tls.on() || transport == SessionListener.Transport.WEBSOCKET;
  }

  @Override
  public <T extends SessionModule> Optional<T> module(Class<T> type) {
    return hooks.find(type);
  }

  boolean tls() {
    return tls.on();
  }

  @Nullable SslHandler sslHandler() {
    return StartTls.handler(ctx);
  }

  // ---- connection lifecycle ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    // Over WebSocket the session joins a channel that is already active (after the upgrade).
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (this.ctx == null) {
      start(ctx);
    }
    super.channelActive(ctx);
  }

  private void start(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    services.listener().connected(transport);
    tls.connected();
    Duration timeout = services.config().limits().preAuthTimeout();
    if (!requireNonNull(preAuth).start(ctx, () -> streamError(StreamErrorCondition.CONNECTION_TIMEOUT,
        "not authenticated within " + timeout.toSeconds() + " s"))) {
      streamError(StreamErrorCondition.POLICY_VIOLATION,
          "too many new connections from your address; try again later");
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (this.ctx == null) {
      super.channelInactive(ctx);
      return;
    }
    state = SessionState.CLOSED;
    if (preAuth != null) {
      preAuth.end();
    }
    if (fullJid != null && ending != SessionModule.Ending.RESUMED_ELSEWHERE) {
      services.listener().unbound(fullJid, this); // the global directory (soft state)
    }
    if (registered != null) {
      services.sessions().unbind(registered, this);
    }
    hooks.closed(ending);
    services.listener().disconnected(transport);
    super.channelInactive(ctx);
  }

  /** The stream now belongs to {@code user}: the pre-authentication limits stop applying. */
  void authenticated(String user, String mechanism) {
    username = user;
    state = SessionState.AUTHENTICATED;
    requireNonNull(preAuth).end();
    preAuth = null;
    authentication = null; // what runs of it still holds it
    services.listener().authentication(transport, mechanism, "success");
    SslHandler ssl = sslHandler();
    if (ssl != null) {
      OpenSslExporter.forget(ssl); // SCRAM-PLUS was its only use
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done && !tls.handshaken(ctx, done)) {
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c = cause;
    while (c.getCause() != null && !(c instanceof StreamErrorException)) {
      c = c.getCause();
    }
    if (c instanceof StreamErrorException e) {
      streamError(e.condition(), e.text());
    } else {
      log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    roomChanged();
    super.channelWritabilityChanged(ctx);
  }

  // ---- the stream (RFC 6120 §4) ----

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == SessionState.CLOSED || inbound.closing()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof StreamEvent.Open open) {
      onOpen(open);
    } else if (msg instanceof StreamEvent.Element element) {
      if (state == SessionState.AWAIT_HEADER) {
        streamError(StreamErrorCondition.NOT_WELL_FORMED, "a stream header must come first");
        return;
      }
      onElement(element.element());
    } else if (msg instanceof StreamEvent.Close) {
      ending = SessionModule.Ending.ON_PURPOSE;
      inbound.close(this::closeStream); // RFC 6120 §4.4: after what the client sent before
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onOpen(StreamEvent.Open open) {
    Optional<StreamErrorException> refused = StreamFeatures.refusal(open, writer.framed(), domain());
    if (refused.isPresent()) {
      streamError(refused.get().condition(), refused.get().text());
      return;
    }
    sendHeader();
    if (state == SessionState.AWAIT_HEADER && bearerUser != null) {
      // Authenticated on the upgrade request (RFC 6750): no SASL on this stream.
      authenticated(bearerUser, "BEARER");
    } else if (state == SessionState.AWAIT_HEADER) {
      state = SessionState.NEGOTIATING;
    }
    sendFeatures();
  }

  private void closeStream() {
    state = SessionState.CLOSED;
    writer.close();
  }

  private void sendHeader() {
    writer.open(randomId(), domain(), "en");
    headerSent = true;
  }

  /** RFC 6120 §4.3.2: what may be negotiated now, from the session and its modules. */
  void sendFeatures() {
    List<XmlElement> features = new ArrayList<>();
    if (secure() && state == SessionState.NEGOTIATING) {
      requireNonNull(authentication).features(features);
    }
    hooks.features(state, features);
    writer.send(StreamFeatures.of(this, services.config(), features));
  }

  /** A top-level element: a negotiation element, a module's nonza, or a stanza. */
  private void onElement(XmlElement e) {
    String ns = e.namespace();
    if (ns.equals(TLS) && e.name().equals("starttls")) {
      startTls();
      return;
    }
    if (!secure()) {
      streamError(StreamErrorCondition.POLICY_VIOLATION, "STARTTLS is required first");
      return;
    }
    if (ns.equals(SASL) || ns.equals(Sasl2.NAMESPACE)) {
      services.listener().stanzaIn(transport, "nonza");
      Authentication auth = authentication;
      if (auth == null) {
        streamError(StreamErrorCondition.POLICY_VIOLATION, "already authenticated");
      } else if (ns.equals(SASL)) {
        auth.onSasl(e);
      } else {
        auth.onSasl2(e);
      }
      return;
    }
    if (hooks.nonza(e)) {
      services.listener().stanzaIn(transport, "nonza");
      return;
    }
    if (!ns.equals(XmlNamespaces.CLIENT) || !List.of("message", "presence", "iq").contains(e.name())) {
      streamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
          "<" + e.name() + " xmlns='" + ns + "'> is not handled here");
      return;
    }
    services.listener().stanzaIn(transport, e.name());
    // XEP-0198 §4: counted as handled once the server took responsibility: a message once
    // stored (persist before ack), anything else once dispatched, in its turn (InboundOrder).
    CompletableFuture<?> handled = inbound.receive(e);
    if (state != SessionState.CLOSED) {
      hooks.received(handled);
    }
  }

  // ---- STARTTLS (RFC 6120 §5.4) ----

  private void startTls() {
    if (tls.on() || transport != SessionListener.Transport.TCP
        || state != SessionState.NEGOTIATING) {
      streamError(StreamErrorCondition.POLICY_VIOLATION, "STARTTLS is not possible now");
      return;
    }
    tls.start(requireNonNull(ctx));
    writer.send(XmlElement.builder("proceed", TLS).build());
    restartStream();
  }

  /** RFC 6120 §5.4.3.3, §6.4.6: the client opens a new stream on the same connection. */
  void restartStream() {
    XmppStreamDecoder decoder = requireNonNull(ctx).pipeline().get(XmppStreamDecoder.class);
    if (decoder != null) {
      decoder.reset();
    }
  }

  // ---- stanzas (RFC 6120 §8) ----

  /** Handles a stanza; completes once the server took responsibility for it. */
  private CompletableFuture<?> onStanza(XmlElement stanza) {
    if (state != SessionState.BOUND) {
      binding.beforeBinding(stanza);
      return DONE;
    }
    XmlElement checked = binding.stamp(stanza);
    if (checked == null) {
      return DONE;
    }
    XmlElement stamped = hooks.filter(checked);
    CompletableFuture<?> handled = hooks.inbound(stamped);
    if (handled != null) {
      return handled;
    }
    if (stamped.name().equals("iq")) {
      services.iqs().dispatch(this, stamped);
    } else if (!stamped.attribute("type").orElse("").equals("error")) {
      replyError(stamped, StanzaErrorCondition.SERVICE_UNAVAILABLE, "");
    }
    return DONE;
  }

  // ---- resource binding (RFC 6120 §7, in Binding) ----

  @Override
  public void bindTo(Jid jid) {
    // RFC 6120 §7.7.2.2: a resource already in use — the older session is replaced.
    services.sessions().bind(jid, this).ifPresent(XmppSession::conflict);
    fullJid = jid;
    registered = jid;
    state = SessionState.BOUND;
  }

  @Override
  public void announceBound() {
    services.listener().bound(requireNonNull(fullJid), this); // the global directory (soft state)
    hooks.bound();
  }

  /** This session's resource was taken over by a newer one. */
  void conflict() {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      return;
    }
    c.executor().execute(() -> {
      fullJid = null; // the newer session owns the binding now
      streamError(StreamErrorCondition.CONFLICT, "replaced by a new connection");
    });
  }

  @Override
  public void takenOver() {
    ending = SessionModule.Ending.RESUMED_ELSEWHERE;
  }

  // ---- module events ----

  @Override
  public void clientReady() {
    hooks.clientReady();
  }

  @Override
  public void roomChanged() {
    hooks.roomChanged();
  }

  @Override
  public void resumableStateChanged() {
    hooks.resumableStateChanged();
  }

  @Override
  public void resumed(String presence) {
    hooks.resumed(presence);
  }

  @Override
  public void accepted(XmlElement message) {
    hooks.accepted(message);
  }

  /** This edge's NATS connection came back. */
  void natsReconnected() {
    ChannelHandlerContext c = ctx;
    if (c != null) {
      c.executor().execute(hooks::natsReconnected);
    }
  }

  /**
   * A stanza stored nowhere, passing to this session (presence, pushes, carbons, IQs between
   * users): true if the session took it. Called on a NATS thread.
   */
  boolean pass(EdgeMessaging.Passing passing) {
    Jid self = fullJid;
    if (ctx == null || state != SessionState.BOUND || self == null) {
      return false;
    }
    return hooks.pass(passing);
  }

  // ---- output ----

  @Override
  public void send(XmlElement stanza, @Nullable Runnable whenAcked) {
    services.listener().stanzaOut(transport, stanza.name());
    if (!hooks.outbound(stanza, whenAcked)) {
      writer.send(stanza);
    }
  }

  /**
   * Whether an in-band registration may go on from this connection's address (its rate and the
   * edge's, {@code xmpp.limits.registrations*}); a connection with no IP address always may.
   */
  boolean registrationAdmitted() {
    boolean admitted =
        !(requireNonNull(ctx).channel().remoteAddress() instanceof InetSocketAddress remote)
        || remote.getAddress() == null || services.registrationAdmitted(remote.getAddress());
    if (admitted && preAuth != null) {
      preAuth.restart(); // progress: the pre-authentication clock starts again
    }
    return admitted;
  }

  /**
   * Runs {@code action} on this session's thread once everything sent to it so far is on the
   * wire (XEP-0198 writes a stanza only after storing it): a stream error that must follow an
   * answer (XEP-0077 account removal) waits for it.
   */
  public void afterPendingWrites(Runnable action) {
    hooks.pendingWrites().whenComplete((v, e) -> executor().execute(action));
  }

  @Override
  public void sendFromAnyThread(XmlElement stanza) {
    ChannelHandlerContext c = requireNonNull(ctx);
    if (c.executor().inEventLoop()) {
      if (state != SessionState.CLOSED) {
        send(stanza);
      }
    } else {
      c.executor().execute(() -> sendFromAnyThread(stanza));
    }
  }

  @Override
  public void write(XmlElement nonza) {
    writer.send(nonza);
  }

  @Override
  public void replyError(XmlElement stanza, StanzaErrorCondition condition, String text) {
    XmlElement reply = StanzaErrorCondition.errorReply(stanza, condition, text);
    if (fullJid == null) {
      // Before binding the client has no address to be written to.
      reply = reply.toBuilder().removeAttribute("to").build();
    }
    send(reply);
  }

  @Override
  public void streamError(StreamErrorCondition condition, String text) {
    if (state != SessionState.CLOSED) {
      services.listener().streamError(transport, condition);
      streamError(condition.toElement(text));
    }
  }

  @Override
  public void streamError(XmlElement error) {
    if (state == SessionState.CLOSED) {
      return;
    }
    if (ending != SessionModule.Ending.RESUMED_ELSEWHERE) {
      ending = SessionModule.Ending.ON_PURPOSE; // an ended stream is not resumable (XEP-0198 §5)
    }
    if (!headerSent) {
      sendHeader(); // RFC 6120 §4.9.1.1: the header precedes an error
    }
    state = SessionState.CLOSED;
    writer.send(error);
    writer.close();
  }

  static String randomId() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}

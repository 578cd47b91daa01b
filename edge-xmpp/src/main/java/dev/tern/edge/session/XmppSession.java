package dev.tern.edge.session;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.edge.register.RegisterHandler;
import dev.tern.edge.roster.RosterCodec;
import dev.tern.edge.sasl.ChannelBinding;
import dev.tern.edge.sasl.SaslBase64;
import dev.tern.edge.sasl.SaslContext;
import dev.tern.edge.sasl.SaslFailure;
import dev.tern.edge.sasl.SaslServer;
import dev.tern.edge.sasl.SaslStep;
import dev.tern.directory.sm.ResumableSession;
import dev.tern.edge.sm.AckCounter;
import dev.tern.edge.sm.HandledCountTooHighException;
import dev.tern.edge.sm.OutboundQueue;
import dev.tern.edge.sm.OutboundQueueFullException;
import dev.tern.edge.sm.Resumption;
import dev.tern.xmpp.xml.Xml;
import dev.tern.edge.sm.StreamManagement;
import dev.tern.edge.bind2.Bind2;
import dev.tern.edge.bind2.Bind2Request;
import dev.tern.edge.fast.FastRequest;
import dev.tern.edge.fast.FastTokens;
import dev.tern.edge.sasl2.Sasl2;
import dev.tern.edge.sasl2.Sasl2Authenticate;
import dev.tern.edge.sasl2.Sasl2Exception;
import dev.tern.edge.sasl2.Sasl2Success;
import dev.tern.edge.sasl2.UserAgent;
import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.carbons.Carbons;
import dev.tern.edge.chatstates.ChatStates;
import dev.tern.edge.stream.StreamWriter;
import dev.tern.edge.tls.ChannelBindings;
import dev.tern.edge.tls.OpenSslExporter;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.StreamErrorException;
import dev.tern.xmpp.xml.StreamEvent;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.edge.codec.XmppStreamDecoder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's stream, from the first header to the close: STARTTLS (RFC 6120 §5), SASL (§6),
 * resource binding (§7), then stanzas (§8). The same handler serves TCP, Direct TLS and WebSocket;
 * only the {@link StreamWriter} and the decoder in front of it differ.
 */
public final class XmppSession extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(XmppSession.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_SASL_FAILURES = 3;

  /** Where the stream is in its negotiation. */
  private enum State { AWAIT_HEADER, NEGOTIATING, AUTHENTICATED, BOUND, CLOSED }

  private final EdgeServices services;
  private final SessionListener.Transport transport;
  private final StreamWriter writer;
  private State state = State.AWAIT_HEADER;
  private final @Nullable String bearerUser;
  private boolean tls;
  private boolean headerSent;
  private @Nullable InetAddress address;
  private boolean countedUnauthenticated;
  private @Nullable ScheduledFuture<?> preAuthTimeout;
  private @Nullable SaslServer sasl;
  /** The SASL2 exchange in progress (XEP-0388), with what its inline requests asked for. */
  private @Nullable Sasl2Authenticate sasl2;
  private FastRequest sasl2Fast = FastRequest.NONE;
  private Optional<Bind2Request> sasl2Bind = Optional.empty();
  private @Nullable SaslServer sasl2Server;
  /** Whether SASL answers go out as SASL2 elements. */
  private boolean inSasl2;
  private String saslMechanism = "";
  private int saslFailures;
  private @Nullable String username;
  private @Nullable Jid fullJid;
  private @Nullable ChannelHandlerContext ctx;
  private long tlsStartNanos;
  private boolean clientActive = true;
  // XEP-0198 stream management: null until enabled (or resumed)
  private @Nullable AckCounter smInbound;
  private @Nullable OutboundQueue smOutbound;
  private @Nullable ResumableSession smStored;
  private boolean smAckRequested;
  /** When the newest stored message this session wrote was stored; null before the first. */
  private java.time.@Nullable Instant newestWritten;
  /** Whether this session began delivering its unread queue. */
  private boolean offlineStarted;
  /** Whether a replay read the unread queue to its end with nothing left to it since. */
  private boolean caughtUp;
  /** A late-replication sweep waiting for the replay under way (from when); null if none. */
  private java.time.@Nullable Instant sweepSince;
  /** An {@code <r/>} to send once the client's stanzas in flight are handled. */
  private boolean ackRequestDeferred;
  /** An <r/> was answered while stanzas were still being handled: an <a/> is owed. */
  private boolean ackOwed;
  /** Whether stored messages were left to the unread queue because the socket was full. */
  private boolean leftToQueue;
  /** Live deliveries held while the unread queue is replayed; null when none is. */
  private @Nullable List<EdgeMessaging.Delivery> heldLive;
  /** Stanza-ids of the stored messages this session sent lately: a repeat is not sent again. */
  private final RecentIds delivered = new RecentIds(RECENT_DELIVERIES);
  private java.util.concurrent.CompletableFuture<?> smSendChain = DONE;
  /** The stream ended on purpose (either side): its resumable state is dropped. */
  private boolean endedOnPurpose;
  /** The stream was resumed on another connection, which now holds the session's presence. */
  private boolean resumedElsewhere;
  private @Nullable ScheduledFuture<?> smRefresh;
  /** For each stanza in the SM outbound queue: the stored message it delivers, if any. */
  private final java.util.ArrayDeque<Optional<EdgeMessaging.Delivery>> smTags =
      new java.util.ArrayDeque<>(1);
  /** Inbound stanzas not yet handled (a message is handled once stored), in arrival order. */
  private final java.util.ArrayDeque<java.util.concurrent.CompletableFuture<?>> inboundPending =
      new java.util.ArrayDeque<>(1);
  /** The last message sent to a router; the next one waits for it (per-sender order). */
  private java.util.concurrent.CompletableFuture<?> messageChain = DONE;
  /** RFC 6121 presence and roster interest of this session. */
  private final SessionPresence presence;
  /** Ask the client for an ack once this many stanzas are unacknowledged. */
  private static final int SM_REQUEST_EVERY = 5;
  /** How many times the edge asks routers to store a message that carries an origin-id. */
  private static final int SEND_ATTEMPTS = 3;
  /** A client that neither enables stream management nor sends presence gets its queue then. */
  private static final Duration OFFLINE_DELIVERY_FALLBACK = Duration.ofSeconds(2);
  /** How long after binding the recent part of the unread queue is read again. */
  private static final Duration REPLICATION_GRACE = Duration.ofSeconds(3);
  /**
   * A later replay of the unread queue starts this long before the newest message written, for
   * messages of other chats stored by other routers a moment earlier (clocks, not order).
   */
  private static final Duration REPLAY_MARGIN = Duration.ofSeconds(2);
  /** How many stanza-ids of delivered messages a session remembers to drop repeats. */
  private static final int RECENT_DELIVERIES = 1024;
  /**
   * Completed, shared by all sessions and never completed again: what a stanza handled at once
   * returns, and where each chain of calls starts (every link is a new future). An idle session
   * holds no future of its own; its queues start at the smallest size for the same reason.
   */
  private static final java.util.concurrent.CompletableFuture<Void> DONE =
      java.util.concurrent.CompletableFuture.completedFuture(null);
  /** XEP-0280: whether this session asked for carbon copies (its own state, on this edge). */
  private volatile boolean carbons;

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
    this.tls = tlsFromStart;
    this.presence = new SessionPresence(services.config().domain(), SessionPresence.Wire.of(services));
  }

  /** The bound full JID, once resource binding succeeded. */
  public Optional<Jid> jid() {
    return Optional.ofNullable(fullJid);
  }

  /** XEP-0280 §4, §5: this session enables or disables carbon copies for itself. */
  public void carbons(boolean enabled) {
    carbons = enabled;
    storeSessionState();
  }

  /**
   * Keeps what a resumed session must take over besides the stream itself (XEP-0198 §5: the
   * session's state): carbons and the last available presence. Called on the event loop.
   */
  private void storeSessionState() {
    ResumableSession stored = smStored;
    if (stored != null) {
      String last = presence.last().map(Xml::serialize).orElse("");
      watchLease(services.resumption().store().sessionState(stored.id(), stored.lease(),
          carbons, last));
    }
  }

  /** XEP-0352: whether the client said it is active (default) or inactive. */
  public boolean clientActive() {
    return clientActive;
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
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
      address = remote.getAddress();
      if (!services.limiter().acquire(address)) {
        streamError(StreamErrorCondition.POLICY_VIOLATION,
            "too many unauthenticated connections from your address");
        return;
      }
      countedUnauthenticated = true;
    }
    Duration timeout = services.config().limits().preAuthTimeout();
    preAuthTimeout = ctx.executor().schedule(() -> {
      if (state.compareTo(State.AUTHENTICATED) < 0) {
        streamError(StreamErrorCondition.CONNECTION_TIMEOUT,
            "not authenticated within " + timeout.toSeconds() + " s");
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    tlsStartNanos = System.nanoTime();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (this.ctx == null) {
      super.channelInactive(ctx);
      return;
    }
    state = State.CLOSED;
    releaseUnauthenticated();
    if (preAuthTimeout != null) {
      preAuthTimeout.cancel(false);
    }
    if (fullJid != null && !resumedElsewhere) {
      presence.ended(fullJid); // RFC 6121 §4.5.2, also when the connection was just lost
      services.listener().unbound(fullJid, this); // the global directory (soft state)
    }
    if (fullJid != null && services.sessions().unbind(fullJid, this)) {
      services.messaging().offline(fullJid.bare().toString());
    }
    if (smRefresh != null) {
      smRefresh.cancel(false);
    }
    ResumableSession stored = smStored;
    if (stored != null) {
      smStored = null;
      var store = services.resumption().store();
      // XEP-0198 §5: a stream that ended without </stream:stream> stays resumable for its window.
      if (endedOnPurpose) {
        store.remove(stored.id(), stored.lease());
      } else {
        store.detach(stored.id(), stored.lease());
      }
    }
    services.listener().disconnected(transport);
    super.channelInactive(ctx);
  }

  /** The stream now belongs to {@code user}: the pre-authentication limits stop applying. */
  private void authenticated(String user, String mechanism) {
    username = user;
    state = State.AUTHENTICATED;
    releaseUnauthenticated();
    if (preAuthTimeout != null) {
      preAuthTimeout.cancel(false);
      preAuthTimeout = null; // a cancelled task and what it captured, kept by nothing else
    }
    services.listener().authentication(transport, mechanism, "success");
    saslMechanism = "";
    SslHandler ssl = ctx == null ? null : ctx.pipeline().get(SslHandler.class);
    if (ssl != null) {
      OpenSslExporter.forget(ssl); // SCRAM-PLUS was its only use
    }
  }

  private void releaseUnauthenticated() {
    if (countedUnauthenticated && address != null) {
      countedUnauthenticated = false;
      services.limiter().release(address);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      services.listener().tlsHandshake(transport,
          Duration.ofNanos(System.nanoTime() - tlsStartNanos), done.isSuccess());
      if (!done.isSuccess()) {
        log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), done.cause().toString());
        ctx.close();
        return;
      }
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

  // ---- inbound ----

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.CLOSED) {
      return;
    }
    if (msg instanceof StreamEvent.Open open) {
      onOpen(open);
    } else if (msg instanceof StreamEvent.Element element) {
      if (state == State.AWAIT_HEADER) {
        streamError(StreamErrorCondition.NOT_WELL_FORMED, "a stream header must come first");
        return;
      }
      onElement(element.element());
    } else if (msg instanceof StreamEvent.Close) {
      endedOnPurpose = true;
      state = State.CLOSED;
      writer.close();
    } else {
      io.netty.util.ReferenceCountUtil.release(msg);
    }
  }

  private void onOpen(StreamEvent.Open open) {
    String to = open.attributes().getOrDefault("to", "");
    String version = open.attributes().getOrDefault("version", "");
    if (!writer.framed() && !open.defaultNamespace().equals(Namespaces.CLIENT)) {
      streamError(StreamErrorCondition.INVALID_NAMESPACE, "this server speaks jabber:client");
      return;
    }
    if (!to.equalsIgnoreCase(services.config().domain())) {
      streamError(StreamErrorCondition.HOST_UNKNOWN,
          to.isEmpty() ? "the stream header needs a 'to'" : "this server does not serve " + to);
      return;
    }
    if (!version.startsWith("1.")) {
      // RFC 6120 §4.7.5: no version or a version below 1.0.
      streamError(StreamErrorCondition.UNSUPPORTED_VERSION, "XMPP 1.0 is required");
      return;
    }
    sendHeader();
    if (state == State.AWAIT_HEADER && bearerUser != null) {
      // Authenticated on the upgrade request (RFC 6750): no SASL on this stream.
      authenticated(bearerUser, "BEARER");
    } else if (state == State.AWAIT_HEADER) {
      state = State.NEGOTIATING;
    }
    writer.send(features());
  }

  private void sendHeader() {
    writer.open(randomId(), services.config().domain(), "en");
    headerSent = true;
  }

  private XmlElement features() {
    XmlElement.Builder f = XmlElement.builder("features", Namespaces.STREAMS);
    if (!secure()) {
      // RFC 6120 §5.3.1: TLS is mandatory before anything else.
      f.child(XmlElement.builder("starttls", Namespaces.TLS)
          .child(XmlElement.builder("required", Namespaces.TLS).build()).build());
      return f.build();
    }
    if (state == State.NEGOTIATING) {
      SaslContext context = saslContext();
      XmlElement.Builder mechanisms = XmlElement.builder("mechanisms", Namespaces.SASL);
      for (String m : services.sasl().offered(context)) {
        mechanisms.child(XmlElement.builder("mechanism", Namespaces.SASL).text(m).build());
      }
      f.child(mechanisms.build());
      List<String> bindings = services.sasl().channelBindingTypes(context);
      if (!bindings.isEmpty()) {
        XmlElement.Builder cb = XmlElement.builder("sasl-channel-binding", Namespaces.SASL_CB);
        bindings.forEach(t -> cb.child(XmlElement.builder("channel-binding", Namespaces.SASL_CB)
            .attribute("type", t).build()));
        f.child(cb.build());
      }
      // XEP-0388 with its inline features: Bind 2 (with SM and CSI inline), FAST, SM resume.
      List<XmlElement> inline = new ArrayList<>();
      inline.add(Bind2.feature(List.of(StreamManagement.NAMESPACE, Namespaces.CSI)));
      services.fast().feature(context).ifPresent(inline::add);
      inline.add(new StreamManagement.Feature().toElement());
      f.child(Sasl2.feature(services.sasl().offered(context), inline));
      if (services.config().registration()) {
        f.child(XmlElement.builder("register", RegisterHandler.FEATURE).build());
      }
    } else {
      if (state == State.AUTHENTICATED) {
        f.child(XmlElement.builder("bind", Namespaces.BIND).build());
        f.child(XmlElement.builder("session", Namespaces.SESSION)
            .child(XmlElement.builder("optional", Namespaces.SESSION).build()).build());
      }
      f.child(XmlElement.builder("csi", Namespaces.CSI).build());
      f.child(new StreamManagement.Feature().toElement());
    }
    // XEP-0478: announce the stanza size limit, so clients never trip over it.
    f.child(XmlElement.builder("limits", Namespaces.STREAM_LIMITS)
        .child(XmlElement.builder("max-bytes", Namespaces.STREAM_LIMITS)
            .text(Integer.toString(services.config().limits().maxStanzaBytes())).build())
        .build());
    return f.build();
  }

  /** TLS, or a WebSocket: the HTTP port serves loopback, or sits behind a TLS proxy. */
  private boolean secure() {
    return tls || transport == SessionListener.Transport.WEBSOCKET;
  }

  private void onElement(XmlElement e) {
    String ns = e.namespace();
    if (ns.equals(Namespaces.TLS) && e.name().equals("starttls")) {
      startTls();
      return;
    }
    if (!secure()) {
      streamError(StreamErrorCondition.POLICY_VIOLATION, "STARTTLS is required first");
      return;
    }
    if (ns.equals(Namespaces.SASL)) {
      services.listener().stanzaIn(transport, "nonza");
      onSasl(e);
      return;
    }
    if (ns.equals(Sasl2.NAMESPACE)) {
      services.listener().stanzaIn(transport, "nonza");
      onSasl2(e);
      return;
    }
    if (ns.equals(StreamManagement.NAMESPACE)
        && (state == State.AUTHENTICATED || state == State.BOUND)) {
      services.listener().stanzaIn(transport, "nonza");
      onStreamManagement(e);
      return;
    }
    if (ns.equals(Namespaces.CSI) && state == State.BOUND) {
      services.listener().stanzaIn(transport, "nonza");
      clientActive = e.name().equals("active"); // XEP-0352 §4
      return;
    }
    if (!ns.equals(Namespaces.CLIENT) || !List.of("message", "presence", "iq").contains(e.name())) {
      streamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
          "<" + e.name() + " xmlns='" + ns + "'> is not handled here");
      return;
    }
    services.listener().stanzaIn(transport, e.name());
    // XEP-0198 §4: counted as handled once the server took responsibility: a message once
    // stored (persist before ack), anything else at once.
    countInbound(onStanza(e));
  }

  // ---- STARTTLS (RFC 6120 §5.4) ----

  private void startTls() {
    if (tls || transport != SessionListener.Transport.TCP || state != State.NEGOTIATING) {
      streamError(StreamErrorCondition.POLICY_VIOLATION, "STARTTLS is not possible now");
      return;
    }
    ChannelHandlerContext c = requireNonNull(ctx);
    // startTls=true: <proceed/> itself still goes out in the clear (RFC 6120 §5.4.2.3).
    SslHandler ssl = new SslHandler(services.tls().newEngine(c.alloc()), true);
    OpenSslExporter.track(c.channel(), ssl);
    c.pipeline().addFirst("tls", ssl);
    tlsStartNanos = System.nanoTime();
    writer.send(XmlElement.builder("proceed", Namespaces.TLS).build());
    tls = true;
    restartStream();
  }

  private void restartStream() {
    ChannelHandlerContext c = requireNonNull(ctx);
    XmppStreamDecoder decoder = c.pipeline().get(XmppStreamDecoder.class);
    if (decoder != null) {
      decoder.reset();
    }
  }

  // ---- SASL (RFC 6120 §6) ----

  private SaslContext saslContext() {
    List<ChannelBinding> bindings = new ArrayList<>();
    SslHandler ssl = ctx == null ? null : ctx.pipeline().get(SslHandler.class);
    if (ssl != null && ssl.handshakeFuture().isSuccess()) {
      ChannelBindings.tlsExporter(ssl).ifPresent(b -> bindings.add(new ChannelBinding("tls-exporter", b)));
      ChannelBindings.tlsServerEndPoint(ssl)
          .ifPresent(b -> bindings.add(new ChannelBinding("tls-server-end-point", b)));
    }
    return new SaslContext(tls, bindings, services.config().domain());
  }

  private void onSasl(XmlElement e) {
    inSasl2 = false;
    if (state != State.NEGOTIATING) {
      streamError(StreamErrorCondition.POLICY_VIOLATION, "already authenticated");
      return;
    }
    switch (e.name()) {
      case "auth" -> {
        String mechanism = e.attribute("mechanism").orElse("");
        SaslContext context = saslContext();
        Optional<SaslServer> server = services.sasl().offered(context).contains(mechanism)
            ? services.sasl().create(mechanism, context) : Optional.empty();
        if (server.isEmpty()) {
          boolean plainInClear = mechanism.equals("PLAIN") && !tls;
          saslFailure(plainInClear ? SaslFailure.ENCRYPTION_REQUIRED : SaslFailure.INVALID_MECHANISM,
              "mechanism not offered: " + mechanism);
          return;
        }
        sasl = server.get();
        saslMechanism = mechanism;
        byte[] initial = decode(e.text());
        if (initial == null) {
          return;
        }
        onSaslStep(sasl.start(initial));
      }
      case "response" -> {
        if (sasl == null) {
          saslFailure(SaslFailure.MALFORMED_REQUEST, "no authentication in progress");
          return;
        }
        byte[] response = decode(e.text());
        if (response != null) {
          onSaslStep(sasl.evaluate(response));
        }
      }
      case "abort" -> {
        sasl = null;
        saslFailure(SaslFailure.ABORTED, "");
      }
      default -> streamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
          "unexpected SASL element " + e.name());
    }
  }

  /** Base64 of a SASL element; "=" or nothing is an empty response (RFC 6120 §6.4.2). */
  private byte @Nullable [] decode(String text) {
    Optional<byte[]> bytes = SaslBase64.decode(text.strip());
    if (bytes.isEmpty()) {
      sasl = null;
      saslFailure(SaslFailure.INCORRECT_ENCODING, "not base64");
      return null;
    }
    return bytes.get();
  }

  private void onSaslStep(CompletionStage<SaslStep> step) {
    ChannelHandlerContext c = requireNonNull(ctx);
    step.whenComplete((s, error) -> c.executor().execute(() -> {
      if (state == State.CLOSED) {
        return;
      }
      if (error != null) {
        log.warn("SASL {} failed inside the server", saslMechanism, error);
        sasl = null;
        saslFailure(SaslFailure.TEMPORARY_AUTH_FAILURE, "try again later");
        return;
      }
      if (s instanceof SaslStep.Challenge ch) {
        writer.send(inSasl2 ? Sasl2.challenge(ch.data())
            : XmlElement.builder("challenge", Namespaces.SASL)
                .text(SaslBase64.encode(ch.data())).build());
      } else if (s instanceof SaslStep.Success ok && inSasl2 && sasl2 != null) {
        sasl = null;
        sasl2Success(ok);
      } else if (s instanceof SaslStep.Success ok) {
        sasl = null;
        authenticated(ok.username(), saslMechanism);
        XmlElement.Builder success = XmlElement.builder("success", Namespaces.SASL);
        if (ok.additionalData().length > 0) {
          success.text(SaslBase64.encode(ok.additionalData()));
        }
        writer.send(success.build());
        restartStream(); // RFC 6120 §6.4.6
      } else if (s instanceof SaslStep.Failure f) {
        sasl = null;
        saslFailure(f.condition(), f.text());
      }
    }));
  }

  private void saslFailure(SaslFailure condition, String text) {
    services.listener().authentication(transport, saslMechanism.isEmpty() ? "none" : saslMechanism,
        condition.elementName());
    if (inSasl2) {
      inSasl2 = false;
      sasl2 = null;
      writer.send(Sasl2.failure(condition, text));
    } else {
      XmlElement.Builder failure = XmlElement.builder("failure", Namespaces.SASL)
          .child(XmlElement.builder(condition.elementName(), Namespaces.SASL).build());
      if (!text.isEmpty()) {
        failure.child(XmlElement.builder("text", Namespaces.SASL).attribute("xml:lang", "en")
            .text(text).build());
      }
      writer.send(failure.build());
    }
    if (condition != SaslFailure.ABORTED && ++saslFailures >= MAX_SASL_FAILURES) {
      // RFC 6120 §6.4.5: the server may limit retries and then close the stream.
      streamError(StreamErrorCondition.POLICY_VIOLATION, "too many failed authentications");
    }
  }

  // ---- SASL2 (XEP-0388) with Bind 2 (XEP-0386), FAST (XEP-0484) and inline SM resume ----

  private void onSasl2(XmlElement e) {
    if (state != State.NEGOTIATING) {
      streamError(StreamErrorCondition.POLICY_VIOLATION, "already authenticated");
      return;
    }
    inSasl2 = true;
    try {
      switch (e.name()) {
        case Sasl2.AUTHENTICATE -> onAuthenticate(Sasl2Authenticate.parse(e));
        case Sasl2.RESPONSE -> {
          if (sasl2 == null || sasl == null) {
            saslFailure(SaslFailure.MALFORMED_REQUEST, "no authentication in progress");
            return;
          }
          onSaslStep(sasl.evaluate(Sasl2.response(e)));
        }
        case Sasl2.ABORT -> {
          sasl = null;
          saslFailure(SaslFailure.ABORTED, "");
        }
        default -> streamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
            "unexpected SASL2 element " + e.name());
      }
    } catch (Sasl2Exception ex) {
      sasl = null;
      saslFailure(ex.condition(), ex.text());
    }
  }

  private void onAuthenticate(Sasl2Authenticate auth) throws Sasl2Exception {
    sasl2 = auth;
    saslMechanism = auth.mechanism();
    sasl2Fast = FastRequest.parse(auth.inlineRequests());
    sasl2Bind = Bind2Request.find(auth.inlineRequests());
    SaslContext context = saslContext();
    Optional<SaslServer> server;
    if (services.fast().mechanisms(context).contains(auth.mechanism())) {
      if (auth.userAgent().isEmpty()) {
        throw new Sasl2Exception(SaslFailure.MALFORMED_REQUEST, "FAST needs a user-agent id");
      }
      server = services.fast().server(auth.mechanism(), context, auth.userAgent().get().id());
    } else if (services.sasl().offered(context).contains(auth.mechanism())) {
      server = services.sasl().create(auth.mechanism(), context);
    } else {
      server = Optional.empty();
    }
    if (server.isEmpty()) {
      throw new Sasl2Exception(SaslFailure.INVALID_MECHANISM,
          "mechanism not offered: " + auth.mechanism());
    }
    sasl = server.get();
    sasl2Server = server.get();
    onSaslStep(sasl.start(auth.initialResponse().orElse(new byte[0])));
  }

  /**
   * XEP-0388 §2.6: success, with what the inline requests asked for, in one answer: a resumed
   * stream (XEP-0198 inline), or a bound resource (Bind 2, with SM and CSI inline), and a new FAST
   * token. No stream restart: fresh stream features follow unless the stream was resumed.
   */
  private void sasl2Success(SaslStep.Success ok) {
    Sasl2Authenticate auth = requireNonNull(sasl2);
    SaslServer used = requireNonNull(sasl2Server);
    sasl2 = null;
    inSasl2 = false;
    authenticated(ok.username(), saslMechanism);
    ChannelHandlerContext c = requireNonNull(ctx);
    Optional<String> device = auth.userAgent().map(UserAgent::id);
    List<XmlElement> results = new ArrayList<>();
    List<XmlElement> resend = new ArrayList<>();
    boolean[] startCounting = {false};

    java.util.concurrent.CompletableFuture<Void> inline =
        java.util.concurrent.CompletableFuture.completedFuture(null);
    Optional<XmlElement> resume = auth.inlineRequest("resume", StreamManagement.NAMESPACE);
    if (resume.isPresent()) {
      inline = inline.thenCompose(v -> {
        StreamManagement.Nonza r;
        try {
          r = StreamManagement.parse(resume.get());
        } catch (StreamErrorException ex) {
          results.add(StreamManagement.Failed.of(StanzaErrorCondition.BAD_REQUEST).toElement());
          return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return resumeSm((StreamManagement.Resume) r).thenAccept(result -> {
          results.add(result.element());
          resend.addAll(result.resend());
        });
      });
    }
    if (sasl2Bind.isPresent()) {
      Bind2Request bind = sasl2Bind.get();
      inline = inline.thenCompose(v -> {
        if (state == State.BOUND) {
          return java.util.concurrent.CompletableFuture.completedFuture(null); // resumed instead
        }
        String resource = services.bind2().resource(ok.username(), bind.tag(), device);
        Jid jid = Jid.of(ok.username(), services.config().domain(), resource);
        services.sessions().bind(jid, this).ifPresent(XmppSession::conflict);
        fullJid = jid;
        state = State.BOUND;
        List<XmlElement> bound = new ArrayList<>();
        bind.inlineRequest("inactive", Namespaces.CSI).ifPresent(x -> clientActive = false);
        bind.inlineRequest("active", Namespaces.CSI).ifPresent(x -> clientActive = true);
        Optional<XmlElement> enable = bind.inlineRequest("enable", StreamManagement.NAMESPACE);
        java.util.concurrent.CompletableFuture<Void> sm =
            java.util.concurrent.CompletableFuture.completedFuture(null);
        if (enable.isPresent()) {
          try {
            StreamManagement.Enable request =
                (StreamManagement.Enable) StreamManagement.parse(enable.get());
            sm = enableSm(request).thenAccept(enabled -> {
              bound.add(enabled);
              startCounting[0] = true;
            });
          } catch (StreamErrorException | ClassCastException ex) {
            bound.add(StreamManagement.Failed.of(StanzaErrorCondition.BAD_REQUEST).toElement());
          }
        }
        return sm.thenRun(() -> results.add(Bind2.bound(bound)));
      });
    }
    if (device.isPresent()) {
      inline = inline.thenCompose(v -> services.fast()
          .afterSuccess(ok.username(), device.get(), sasl2Fast, used)
          .toCompletableFuture()
          .handle((token, error) -> {
            if (error != null) {
              log.warn("no FAST token for {}: the token store failed", ok.username(), error);
            } else {
              token.ifPresent(t -> results.add(FastTokens.tokenElement(t)));
            }
            return null;
          }));
    }
    inline.whenComplete((v, error) -> c.executor().execute(() -> {
      if (state == State.CLOSED) {
        return;
      }
      if (error != null) {
        log.warn("SASL2 inline requests of {} failed", ok.username(), error);
      }
      Jid identifier = fullJid != null ? fullJid
          : Jid.of(ok.username(), services.config().domain(), null);
      writer.send(Sasl2Success.of(ok, identifier, results).toElement());
      if (startCounting[0]) {
        startOutboundCounting();
      }
      if (results.stream().anyMatch(r -> r.name().equals("resumed"))) {
        sendAgain(resend);
        afterBound();
        return; // a resumed stream continues where it was: no new features
      }
      writer.send(features());
      if (state == State.BOUND) {
        afterBound();
      }
    }));
  }

  // ---- stanzas (RFC 6120 §8) ----

  /** Handles a stanza; completes once the server took responsibility for it. */
  private java.util.concurrent.CompletableFuture<?> onStanza(XmlElement stanza) {
    if (state == State.NEGOTIATING) {
      if (isPreAuthRegistration(stanza)) {
        onIq(stanza);
        return DONE;
      }
      streamError(StreamErrorCondition.NOT_AUTHORIZED, "authenticate first");
      return DONE;
    }
    if (state == State.AUTHENTICATED) {
      if (stanza.name().equals("iq") && stanza.child("bind", Namespaces.BIND).isPresent()) {
        onBind(stanza);
        return DONE;
      }
      if (stanza.name().equals("iq") && !stanza.elements().isEmpty()
          && stanza.elements().get(0).namespace().equals(RegisterHandler.NAMESPACE)) {
        onIq(stanza);
        return DONE;
      }
      streamError(StreamErrorCondition.NOT_AUTHORIZED, "bind a resource first");
      return DONE;
    }
    Jid self = requireNonNull(fullJid);
    Optional<String> from = stanza.attribute("from");
    if (from.isPresent()) {
      // RFC 6120 §8.1.2.1: a client may only name itself.
      Optional<Jid> claimed = parse(from.get());
      if (claimed.isEmpty() || !(claimed.get().equals(self) || claimed.get().equals(self.bare()))) {
        streamError(StreamErrorCondition.INVALID_FROM, "'from' is not your address");
        return DONE;
      }
    }
    XmlElement stamped = stanza.toBuilder().attribute("from", self.toString()).build();
    Optional<String> to = stamped.attribute("to");
    if (to.isPresent() && parse(to.get()).isEmpty()) {
      replyError(stamped, StanzaErrorCondition.JID_MALFORMED, "'to' is not a valid address");
      return DONE;
    }
    switch (stamped.name()) {
      case "iq" -> onIq(stamped);
      case "presence" -> onPresence(stamped);
      default -> {
        return onMessage(stamped);
      }
    }
    return DONE;
  }

  private boolean isPreAuthRegistration(XmlElement stanza) {
    return services.config().registration() && stanza.name().equals("iq")
        && stanza.elements().size() == 1
        && stanza.elements().get(0).namespace().equals(RegisterHandler.NAMESPACE);
  }

  private void onBind(XmlElement iq) {
    String type = iq.attribute("type").orElse("");
    XmlElement bind = iq.child("bind", Namespaces.BIND).orElseThrow();
    if (!type.equals("set")) {
      replyError(iq, StanzaErrorCondition.BAD_REQUEST, "bind with type 'set'");
      return;
    }
    String requested = bind.child("resource", Namespaces.BIND).map(XmlElement::text)
        .map(String::strip).orElse("");
    String resource = requested.isEmpty() ? "tern-" + randomId().substring(0, 10) : requested;
    Jid jid;
    try {
      jid = Jid.of(requireNonNull(username), services.config().domain(), resource);
    } catch (IllegalArgumentException e) {
      replyError(iq, StanzaErrorCondition.BAD_REQUEST, "not a valid resource: "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
      return;
    }
    // RFC 6120 §7.7.2.2: a resource already in use — the older session is replaced.
    services.sessions().bind(jid, this).ifPresent(old -> old.conflict());
    fullJid = jid;
    state = State.BOUND;
    send(result(iq).child(XmlElement.builder("bind", Namespaces.BIND)
        .child(XmlElement.builder("jid", Namespaces.BIND).text(jid.toString()).build())
        .build()).build());
    afterBound();
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

  private void onIq(XmlElement iq) {
    String type = iq.attribute("type").orElse("");
    Optional<Jid> to = iq.attribute("to").flatMap(XmppSession::parse);
    boolean toUserResource = to.isPresent() && to.get().local().isPresent()
        && to.get().resource().isPresent() && to.get().domain().equals(services.config().domain());
    if (type.equals("result") || type.equals("error")) {
      if (toUserResource) {
        // The answer to an IQ another user's resource sent this one (RFC 6121 §8.5.3.1).
        services.messaging().pass(to.get().toString(), Xml.serialize(iq));
      }
      return; // answers to nothing the server asked for are ignored (RFC 6120 §8.2.3)
    }
    List<XmlElement> payloads = iq.elements();
    if (!type.equals("get") && !type.equals("set") || payloads.size() != 1
        || iq.attribute("id").isEmpty()) {
      replyError(iq, StanzaErrorCondition.BAD_REQUEST, "an IQ get or set with an id and one payload");
      return;
    }
    XmlElement payload = payloads.get(0);
    if (payload.name().equals("session") && payload.namespace().equals(Namespaces.SESSION)) {
      send(result(iq).build()); // RFC 6121 Appendix E: a no-op kept for old clients
      return;
    }
    if (toUserResource && state == State.BOUND) {
      routeIq(iq, to.get());
      return;
    }
    Optional<IqRegistration.Addressing> addressing = addressing(iq);
    if (addressing.isEmpty()) {
      replyError(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE, "");
      return;
    }
    Optional<IqHandler> handler = services.iqs().find(type, payload.name(), payload.namespace(),
        addressing.get());
    if (handler.isEmpty() && iq.attribute("to").isEmpty()) {
      // RFC 6120 §10.3.3: no 'to' is also the account itself.
      handler = services.iqs().find(type, payload.name(), payload.namespace(),
          IqRegistration.Addressing.OWN_ACCOUNT);
    }
    if (handler.isEmpty() || (state != State.BOUND && !handler.get().registration().beforeAuthentication())) {
      replyError(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE, "");
      return;
    }
    if (type.equals("get") && payload.namespace().equals(RosterCodec.NAMESPACE)
        && addressing.get() != IqRegistration.Addressing.OTHER_USER) {
      presence.interested(); // RFC 6121 §2.2: roster pushes from now on
    }
    IqRequest request = new IqRequest(iq, payload, Optional.ofNullable(fullJid), secure(),
        this::sendFromAnyThread);
    CompletionStage<Optional<XmlElement>> answer;
    try {
      answer = handler.get().handle(request);
    } catch (IqError e) {
      replyError(iq, e.condition(), e.getMessage() == null ? "" : e.getMessage());
      return;
    }
    ChannelHandlerContext c = requireNonNull(ctx);
    answer.whenComplete((result, error) -> c.executor().execute(() -> {
      if (state == State.CLOSED) {
        return;
      }
      if (error == null) {
        XmlElement.Builder reply = result(iq);
        result.ifPresent(reply::child);
        send(reply.build());
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      if (cause instanceof IqError e) {
        replyError(iq, e.condition(), e.getMessage() == null ? "" : e.getMessage());
      } else {
        log.warn("IQ {} failed", payload.namespace(), cause);
        replyError(iq, StanzaErrorCondition.INTERNAL_SERVER_ERROR, "");
      }
    }));
  }

  /** RFC 6121 §8.5.3.2.1, and XEP-0191 §3.3 for a blocked sender. */
  private static final EdgeMessaging.Refused UNAVAILABLE = new EdgeMessaging.Refused(
      dev.tern.routing.Refusal.of("service-unavailable", "cancel"));

  /**
   * An IQ get or set for another resource (RFC 6121 §8.5.3): passed to it wherever it is
   * connected; its answer comes back the same way. No such resource: service-unavailable; one of
   * the two blocked the other: the error of XEP-0191 §3.3.
   */
  private void routeIq(XmlElement iq, Jid to) {
    ChannelHandlerContext c = requireNonNull(ctx);
    // XEP-0191 §3.3: not between users where one blocked the other (the refusal says which)
    services.messaging().refusal(requireNonNull(fullJid).toString(), to.toString())
        .thenCompose(refused -> refused.isPresent()
            ? java.util.concurrent.CompletableFuture.completedFuture(refused)
            : services.messaging().passConfirmed(to.toString(), Xml.serialize(iq))
                .thenApply(taken -> taken ? Optional.<EdgeMessaging.Refused>empty()
                    : Optional.of(UNAVAILABLE)))
        .whenComplete((refused, error) -> c.executor().execute(() -> {
          if (state != State.CLOSED && (error != null || refused.isPresent())) {
            send((error != null ? UNAVAILABLE : refused.get()).errorReply(iq));
          }
        }));
  }

  /** Sends a stanza on this session's event loop, from whichever thread calls. */
  private void sendFromAnyThread(XmlElement stanza) {
    ChannelHandlerContext c = requireNonNull(ctx);
    if (c.executor().inEventLoop()) {
      if (state != State.CLOSED) {
        send(stanza);
      }
    } else {
      c.executor().execute(() -> sendFromAnyThread(stanza));
    }
  }

  /**
   * A stanza stored nowhere, passing to this session (presence, pushes, IQs between users):
   * true if the session is bound to take it.
   */
  boolean pass(EdgeMessaging.Passing passing) {
    ChannelHandlerContext c = ctx;
    Jid self = fullJid;
    if (c == null || state != State.BOUND || self == null) {
      return false;
    }
    XmlElement stanza;
    try {
      stanza = Xml.parse(passing.xml());
    } catch (IllegalArgumentException e) {
      log.warn("a passing stanza for {} does not parse", passing.toJid(), e);
      return false;
    }
    if (Carbons.isCopy(stanza)) {
      // XEP-0280: only sessions that enabled carbons, and not the one that sent the message.
      Optional<XmlElement> copy = carbons ? Carbons.forSession(stanza, self) : Optional.empty();
      if (copy.isEmpty()) {
        return false;
      }
      sendFromAnyThread(copy.get());
      return true;
    }
    SessionPresence.Incoming in = presence.incoming(self, passing.toJid(), stanza);
    in.deliver().ifPresent(this::sendFromAnyThread);
    return in.taken();
  }

  /** SERVER for the domain or no 'to'; OWN_ACCOUNT for the sender's bare JID; else empty. */
  private Optional<IqRegistration.Addressing> addressing(XmlElement iq) {
    Optional<String> to = iq.attribute("to");
    if (to.isEmpty()) {
      return Optional.of(IqRegistration.Addressing.SERVER);
    }
    Optional<Jid> jid = parse(to.get());
    if (jid.isEmpty()) {
      return Optional.empty();
    }
    Jid j = jid.get();
    if (j.local().isEmpty() && j.resource().isEmpty() && j.domain().equals(services.config().domain())) {
      return Optional.of(IqRegistration.Addressing.SERVER);
    }
    if (fullJid != null && j.equals(fullJid.bare())) {
      return Optional.of(IqRegistration.Addressing.OWN_ACCOUNT);
    }
    if (j.local().isPresent() && j.resource().isEmpty()
        && j.domain().equals(services.config().domain())) {
      return Optional.of(IqRegistration.Addressing.OTHER_USER);
    }
    return Optional.empty();
  }

  private void onPresence(XmlElement stanza) {
    presence.fromClient(requireNonNull(fullJid), stanza);
    if (stanza.attribute("to").isEmpty()) {
      storeSessionState(); // the broadcast presence changed, or went
    }
    if (stanza.attribute("to").isEmpty() && stanza.attribute("type").isEmpty()) {
      startOfflineDelivery(); // initial presence: the client is ready for what waited
    }
  }

  /**
   * RFC 6121 §5: a chat or normal message to a user of this domain goes to a router, which
   * stores it (its chat's next number, once per origin-id) before it counts as handled.
   */
  private java.util.concurrent.CompletableFuture<?> onMessage(XmlElement message) {
    String type = message.attribute("type").orElse("normal");
    Optional<Jid> to = message.attribute("to").flatMap(XmppSession::parse);
    boolean toUser = to.isPresent() && to.get().local().isPresent()
        && to.get().domain().equals(services.config().domain());
    if (!(type.equals("chat") || type.equals("normal")) || !toUser) {
      if (!type.equals("error")) {
        replyError(message, StanzaErrorCondition.SERVICE_UNAVAILABLE,
            "only messages between users of " + services.config().domain() + " are routed yet");
      }
      return DONE;
    }
    // XEP-0280: the copy for the sender's other resources, passed once the message is stored.
    Jid sender = requireNonNull(fullJid);
    Optional<String> carbon = Carbons.sentCopy(message, sender).map(Xml::serialize);
    if (ChatStates.isTransient(message)) {
      // XEP-0085: stored nowhere, queued for nobody; the recipient's online sessions get it.
      services.messaging().pass(to.get().toString(), Xml.serialize(message));
      carbon.ifPresent(x -> services.messaging().pass(sender.bare().toString(), x));
      return DONE;
    }
    Optional<String> originId = message.child("origin-id", "urn:xmpp:sid:0")
        .flatMap(o -> o.attribute("id"));
    ChannelHandlerContext c = requireNonNull(ctx);
    java.util.concurrent.CompletableFuture<Void> handled = new java.util.concurrent.CompletableFuture<>();
    String from = requireNonNull(fullJid).toString();
    String recipient = to.get().bare().toString();
    String xml = Xml.serialize(message);
    // One at a time per sender: its messages get their chat's numbers in the order it sent them.
    messageChain = messageChain
        .thenCompose(v -> sendToRouter(from, recipient, originId, xml, SEND_ATTEMPTS)
            .handle((p, e) -> e == null ? null : e));
    messageChain
        .whenComplete((error, unused) -> c.executor().execute(() -> {
          Optional<EdgeMessaging.Refused> refused = EdgeMessaging.Refused.of((Throwable) error);
          if (refused.isPresent() && state != State.CLOSED) {
            send(refused.get().errorReply(message)); // e.g. XEP-0191: one blocked the other
          } else if (error != null && state != State.CLOSED) {
            log.warn("message of {} not stored", fullJid, (Throwable) error);
            replyError(message, StanzaErrorCondition.RESOURCE_CONSTRAINT, "not stored, send again");
          } else if (error == null) {
            carbon.ifPresent(x -> services.messaging().pass(sender.bare().toString(), x));
          }
          handled.complete(null);
        }));
    return handled;
  }

  /**
   * Asks a router to store the message. With an origin-id a failed attempt (a NATS server of
   * the region died mid-request, a router too slow) is tried again: the router stores an
   * origin-id once, so a retry of a request that did succeed is answered with the original.
   * Without one a retry could store it twice, so the client is told to resend instead.
   */
  private java.util.concurrent.CompletableFuture<EdgeMessaging.Persisted> sendToRouter(
      String from, String to, Optional<String> originId, String xml, int attempts) {
    return services.messaging().send(from, to, originId, xml).toCompletableFuture()
        .handle((p, e) -> {
          if (e == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(p);
          }
          if (originId.isEmpty() || attempts <= 1 || state == State.CLOSED) {
            return java.util.concurrent.CompletableFuture.<EdgeMessaging.Persisted>failedFuture(e);
          }
          log.info("storing a message of {} failed ({}); trying again", from, e.toString());
          return sendToRouter(from, to, originId, xml, attempts - 1);
        })
        .thenCompose(f -> f);
  }

  /** A stored message for this session's user: sent on the session's event loop. */
  void deliver(EdgeMessaging.Delivery delivery) {
    ChannelHandlerContext c = ctx;
    if (c != null) {
      c.executor().execute(() -> deliverNow(delivery));
    }
  }

  private void deliverNow(EdgeMessaging.Delivery d) {
    if (state != State.BOUND || fullJid == null) {
      return;
    }
    ChannelHandlerContext c = ctx;
    // While older messages wait to be replayed, a newer one waits with them (order per chat).
    if (c != null && (leftToQueue || !roomToDeliver(c))) {
      // Past the socket's high-water mark, or half the stream-management queue unacknowledged:
      // rather than grow this edge's memory for a client that does not keep up, the message is
      // left where it is durable, the unread queue (nothing acked it), and replayed in order
      // when the socket drains or acks come.
      leftToQueue = true;
      caughtUp = false;
      services.listener().deliveryLeftToQueue(transport);
      if (smOutbound != null && !smAckRequested && smOutbound.size() > 0) {
        // The room comes back with the client's ack: make sure one is asked for.
        smAckRequested = true;
        sendAckRequest();
      }
      return;
    }
    if (!d.offline() && heldLive != null) {
      heldLive.add(d); // after the replay of the queue, which may hold older ones of its chat
      return;
    }
    if (!delivered.add(d.stanzaId())) {
      return; // published again (a resend after a router crash) or also read from the queue
    }
    if (newestWritten == null || d.storedAt().isAfter(newestWritten)) {
      newestWritten = d.storedAt();
    }
    XmlElement stored;
    try {
      stored = Xml.parse(d.xml());
    } catch (IllegalArgumentException e) {
      log.warn("a stored message {} does not parse", d.stanzaId(), e);
      return;
    }
    XmlElement.Builder b = stored.toBuilder()
        // XEP-0359: the id the server gave the message, for clients to dedupe redeliveries
        .child(XmlElement.builder("stanza-id", "urn:xmpp:sid:0").attribute("id", d.stanzaId())
            .attribute("by", fullJid.bare().toString()).build());
    if (d.offline()) {
      // XEP-0203: when it was stored, for a message that waited
      b.child(XmlElement.builder("delay", "urn:xmpp:delay")
          .attribute("from", services.config().domain())
          .attribute("stamp", d.storedAt().toString()).build());
    }
    send(b.build(), Optional.of(d));
    if (smOutbound != null && !smAckRequested) {
      // It leaves the unread queue only once acknowledged: ask for the ack now.
      smAckRequested = true;
      sendAckRequest();
    }
  }

  /** After binding (or resuming): receive the user's messages here, and what waited. */
  private void afterBound() {
    services.listener().bound(requireNonNull(fullJid), this); // the global directory (soft state)
    Jid bare = requireNonNull(fullJid).bare();
    services.messaging().online(bare.toString(),
        d -> {
          java.util.Set<XmppSession> here = services.sessions().sessionsOf(bare);
          here.forEach(s -> s.deliver(d));
          return !here.isEmpty();
        },
        p -> passTo(services.sessions(), bare, p));
    // Live deliveries wait for what was queued before them; the queue itself is delivered once
    // the client is ready for it (below), as ejabberd and Prosody deliver offline messages.
    heldLive = new java.util.ArrayList<>();
    if (smOutbound != null) {
      startOfflineDelivery(); // a resumed stream, or stream management enabled with Bind 2
    } else {
      ChannelHandlerContext c = requireNonNull(ctx);
      c.executor().schedule(this::startOfflineDelivery, OFFLINE_DELIVERY_FALLBACK.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Delivers the unread queue, once per session: when the client enabled stream management
   * (so each message leaves the queue when acknowledged), sent its initial presence (RFC 6121
   * §4.2), or after {@link #OFFLINE_DELIVERY_FALLBACK} for a client that does neither.
   */
  private void startOfflineDelivery() {
    if (offlineStarted || state != State.BOUND || fullJid == null) {
      return;
    }
    offlineStarted = true;
    Jid bare = fullJid.bare();
    deliverUnread(bare, Optional.empty(), true); // live deliveries are held since binding
    sweepLateReplication(bare);
  }

  /**
   * Delivers the whole unread queue in order, holding live deliveries back meanwhile so none
   * overtakes an older message of its chat; the held ones follow (repeats dropped by stanza-id).
   */
  private void replayUnread(Jid bare) {
    if (heldLive != null) {
      return; // a replay is under way; it reads to the end of the queue
    }
    // From a little before the newest message written here (what was skipped since is newer;
    // repeats inside the margin are dropped by stanza-id), or from the start before the first.
    replayFrom(bare, Optional.ofNullable(newestWritten).map(t -> t.minus(REPLAY_MARGIN)));
  }

  /**
   * Delivers the unread queue from the entries stored after {@code since} (all of it if empty)
   * to its end, holding live deliveries until it is done.
   */
  private void replayFrom(Jid bare, Optional<java.time.Instant> since) {
    heldLive = new java.util.ArrayList<>();
    deliverUnread(bare, since.map(t -> new EdgeMessaging.Delivery("", bare + "/", 0, t, "", true)),
        true);
  }

  private void releaseHeld() {
    List<EdgeMessaging.Delivery> held = heldLive;
    heldLive = null;
    if (held != null) {
      held.forEach(this::deliverNow);
    }
    replayIfDrained();
    maybeSweep();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    replayIfDrained();
    super.channelWritabilityChanged(ctx);
  }

  /**
   * Whether a stored message may be written now: the socket is under its high-water mark and,
   * with stream management, at most half the unacknowledged-stanza limits are used (the rest
   * is for everything else the session sends).
   */
  private boolean roomToDeliver(ChannelHandlerContext c) {
    if (!c.channel().isWritable()) {
      return false;
    }
    OutboundQueue queue = smOutbound;
    return queue == null || (queue.size() < queue.limits().maxStanzas() / 2
        && queue.bytes() < queue.limits().maxBytes() / 2);
  }

  /** Replays the unread queue if messages were left to it and there is room again. */
  private void replayIfDrained() {
    ChannelHandlerContext c = ctx;
    if (leftToQueue && heldLive == null && c != null && roomToDeliver(c)
        && state == State.BOUND && fullJid != null) {
      leftToQueue = false;
      replayUnread(fullJid.bare());
    }
  }

  /**
   * This edge's NATS connection came back: deliveries published while it was away never reached
   * it, but they wait in the unread queue, so the queue is replayed.
   */
  void natsReconnected() {
    ChannelHandlerContext c = ctx;
    if (c != null) {
      c.executor().execute(() -> {
        if (state == State.BOUND && fullJid != null) {
          replayUnread(fullJid.bare());
        }
      });
    }
  }

  /**
   * A message stored in another region just before this device connected may reach this
   * region's datacenter a moment after the queue was read, and its live delivery may have gone
   * out before this edge subscribed: after {@link #REPLICATION_GRACE} the queue's recent part is
   * read once more and what this session has not had yet is delivered (docs/design/messaging.md).
   */
  private void sweepLateReplication(Jid bare) {
    ChannelHandlerContext c = requireNonNull(ctx);
    java.time.Instant since = java.time.Instant.now().minus(REPLICATION_GRACE.multipliedBy(2));
    c.executor().schedule(() -> {
      if (state == State.BOUND && fullJid != null && fullJid.bare().equals(bare)) {
        sweepSince = since;
        maybeSweep();
      }
    }, REPLICATION_GRACE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs the pending sweep once no replay is under way and nothing waits for room: it delivers
   * in queue order like a replay (live deliveries held meanwhile), so it never writes a newer
   * message ahead of older ones a replay has yet to write.
   */
  private void maybeSweep() {
    java.time.Instant since = sweepSince;
    if (since == null || heldLive != null || leftToQueue || !caughtUp || state != State.BOUND
        || fullJid == null) {
      return; // not before the queue was read to its end: it would write newer messages first
    }
    sweepSince = null;
    replayFrom(fullJid.bare(), Optional.of(since));
  }

  /** A passing stanza to the one resource it names, or to every session of the user here. */
  private static boolean passTo(LocalSessions sessions, Jid bare, EdgeMessaging.Passing p) {
    Optional<Jid> to = parse(p.toJid());
    if (to.isPresent() && to.get().resource().isPresent()) {
      return sessions.session(to.get()).map(s -> s.pass(p)).orElse(false);
    }
    boolean taken = false;
    for (XmppSession s : sessions.sessionsOf(bare)) {
      taken |= s.pass(p);
    }
    return taken;
  }

  /** Delivers what waited, batch after batch, in queue order (the next after the last sent). */
  private void deliverUnread(Jid bare, Optional<EdgeMessaging.Delivery> after, boolean replay) {
    ChannelHandlerContext c = requireNonNull(ctx);
    services.messaging().unread(bare.toString(), after).whenComplete((list, error) ->
        c.executor().execute(() -> {
          if (state != State.BOUND) {
            return;
          }
          if (error != null) {
            log.warn("unread messages of {} not read", bare, error);
            if (replay) {
              releaseHeld();
            }
            return;
          }
          list.forEach(this::deliverNow);
          if (leftToQueue) {
            // The socket filled up: reading on would only skip more; the drain replays.
            if (replay) {
              releaseHeld();
            }
            return;
          }
          if (list.size() == EdgeMessaging.BATCH) {
            deliverUnread(bare, Optional.of(list.get(list.size() - 1)), replay);
          } else if (replay) {
            caughtUp = true; // everything queued was written (or dropped as a repeat)
            releaseHeld();
          }
        }));
  }

  // ---- stream management (XEP-0198) ----

  private void countInbound(java.util.concurrent.CompletableFuture<?> handled) {
    if (smInbound == null || state == State.CLOSED) {
      return;
    }
    inboundPending.add(handled);
    if (handled.isDone()) {
      advanceInbound();
    } else {
      ChannelHandlerContext c = requireNonNull(ctx);
      handled.whenComplete((v, e) -> c.executor().execute(this::advanceInbound));
    }
  }

  /** h counts the stanzas handled so far, in order (XEP-0198 §4). */
  private void advanceInbound() {
    AckCounter inbound = smInbound;
    if (inbound == null) {
      return;
    }
    boolean moved = false;
    while (!inboundPending.isEmpty() && inboundPending.peek().isDone()) {
      inboundPending.poll();
      inbound.increment();
      moved = true;
    }
    ResumableSession stored = smStored;
    if (moved && stored != null) {
      watchLease(services.resumption().store().handled(stored.id(), stored.lease(), inbound.value()));
    }
    if (moved && ackOwed && inboundPending.isEmpty() && state != State.CLOSED) {
      ackOwed = false;
      writer.send(new StreamManagement.Ack(inbound.value()).toElement());
    }
    if (ackRequestDeferred && inboundPending.isEmpty() && state != State.CLOSED) {
      ackRequestDeferred = false;
      writer.send(new StreamManagement.Request().toElement());
    }
  }

  /**
   * Sends {@code <r/>}, or defers it while stanzas this client sent are still being handled: a
   * client busy sending may have its writer full, and one that must queue its {@code <a/>}
   * behind it stops reading (Smack 4.5 does: its reader blocks, never sees the server's acks,
   * and its writer waits for them for ever). Sent once the client's stanzas are handled.
   */
  private void sendAckRequest() {
    if (!inboundPending.isEmpty()) {
      ackRequestDeferred = true;
      return;
    }
    writer.send(new StreamManagement.Request().toElement());
  }

  private void onStreamManagement(XmlElement e) {
    StreamManagement.Nonza nonza;
    try {
      nonza = StreamManagement.parse(e);
    } catch (StreamErrorException ex) {
      streamError(ex.condition(), ex.text());
      return;
    }
    if (nonza instanceof StreamManagement.Enable enable) {
      onEnable(enable);
    } else if (nonza instanceof StreamManagement.Resume resume) {
      onResume(resume);
    } else if (nonza instanceof StreamManagement.Request) {
      if (smInbound == null) {
        streamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, "stream management is not enabled");
        return;
      }
      writer.send(new StreamManagement.Ack(smInbound.value()).toElement());
      // Stanzas still being stored are not counted yet: once they are, an unsolicited <a/>
      // follows (XEP-0198 §4 allows it). A client whose unacknowledged queue is full (Smack
      // blocks at 1 000) sends no new <r/> and would otherwise wait for ever.
      ackOwed = !inboundPending.isEmpty();
    } else if (nonza instanceof StreamManagement.Ack ack) {
      onAck(ack.h());
    } else {
      streamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
          "<" + e.name() + "/> is the server's to send");
    }
  }

  private void onEnable(StreamManagement.Enable enable) {
    if (state != State.BOUND || smInbound != null) {
      // XEP-0198 §3: only once, and only after resource binding.
      writer.send(StreamManagement.Failed.of(StanzaErrorCondition.UNEXPECTED_REQUEST).toElement());
      return;
    }
    enableSm(enable).thenAccept(enabled -> {
      writer.send(enabled);
      startOutboundCounting(); // the client counts what it receives from <enabled/> on
      startOfflineDelivery();
    });
  }

  /**
   * Enables stream management on this bound stream; completes on the event loop with the
   * {@code <enabled/>} to send, after which {@link #startOutboundCounting()} must follow.
   */
  private java.util.concurrent.CompletableFuture<XmlElement> enableSm(StreamManagement.Enable enable) {
    Jid jid = requireNonNull(fullJid);
    smInbound = new AckCounter(); // the client counts what it sends from <enable/> on
    ChannelHandlerContext c = requireNonNull(ctx);
    java.util.concurrent.CompletableFuture<XmlElement> out = new java.util.concurrent.CompletableFuture<>();
    services.resumption().enable(enable, jid.bare().toString(), jid.toString())
        .whenComplete((enabling, error) -> c.executor().execute(() -> {
          if (state == State.CLOSED) {
            if (enabling != null) {
              enabling.session().ifPresent(sm ->
                  services.resumption().store().remove(sm.id(), sm.lease()));
            }
            return;
          }
          if (error == null && enabling.session().isPresent()) {
            smStored = enabling.session().get();
            ResumableSession sm = smStored;
            watchLease(services.resumption().store().handled(sm.id(), sm.lease(), smInbound.value()));
            if (carbons || presence.available()) {
              storeSessionState(); // enabled after carbons or presence
            }
            scheduleRefresh(c);
          }
          out.complete(error == null ? enabling.enabled().toElement()
              : StreamManagement.Enabled.withoutResumption().toElement());
        }));
    return out;
  }

  private void startOutboundCounting() {
    smOutbound = new OutboundQueue(services.resumption().settings().queueLimits());
  }

  private void onAck(long h) {
    OutboundQueue queue = smOutbound;
    if (queue == null) {
      streamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, "stream management is not enabled");
      return;
    }
    int acked;
    try {
      acked = queue.ack(h);
    } catch (HandledCountTooHighException e) {
      streamError(e.streamError());
      return;
    }
    String bare = requireNonNull(fullJid).bare().toString();
    for (int i = 0; i < acked && !smTags.isEmpty(); i++) {
      smTags.poll().ifPresent(d -> services.messaging().delivered(bare, d.chat(), d.seq()));
    }
    smAckRequested = false;
    ResumableSession stored = smStored;
    if (stored != null) {
      watchLease(services.resumption().store().ack(stored.id(), stored.lease(), h));
    }
    if (queue.size() > 0 && acked > 0) {
      // More went out since the request this ack answers: ask again, so delivered messages
      // leave the unread queue without waiting for the next stanza.
      smAckRequested = true;
      sendAckRequest();
    }
    replayIfDrained(); // acks made room for what was left to the unread queue
    if (leftToQueue && !smAckRequested && queue.size() > 0) {
      // Still no room, and this ack answered an earlier request: ask again shortly.
      smAckRequested = true;
      ChannelHandlerContext c = requireNonNull(ctx);
      c.executor().schedule(() -> {
        if (state != State.CLOSED) {
          sendAckRequest();
        }
      }, 200, TimeUnit.MILLISECONDS);
    }
  }

  private void onResume(StreamManagement.Resume resume) {
    if (state != State.AUTHENTICATED) {
      // XEP-0198 §5: resume instead of binding, not after it.
      writer.send(StreamManagement.Failed.of(StanzaErrorCondition.UNEXPECTED_REQUEST).toElement());
      return;
    }
    resumeSm(resume).thenAccept(result -> {
      writer.send(result.element());
      sendAgain(result.resend());
      if (state == State.BOUND) {
        afterBound();
      }
    });
  }

  /** What a resumption attempt answers: {@code <resumed/>} or {@code <failed/>}, and what to resend. */
  private record SmResumeResult(XmlElement element, List<XmlElement> resend) {}

  /** Resumes {@code resume.previd()} for the authenticated user; completes on the event loop. */
  private java.util.concurrent.CompletableFuture<SmResumeResult> resumeSm(StreamManagement.Resume resume) {
    String owner = Jid.of(requireNonNull(username), services.config().domain(), null).toString();
    ChannelHandlerContext c = requireNonNull(ctx);
    java.util.concurrent.CompletableFuture<SmResumeResult> out = new java.util.concurrent.CompletableFuture<>();
    services.resumption().resume(resume, owner).whenComplete((outcome, error) ->
        c.executor().execute(() -> {
          if (state == State.CLOSED) {
            if (outcome instanceof Resumption.Accepted a) {
              services.resumption().store().detach(a.session().id(), a.session().lease());
            }
            return;
          }
          if (error != null || !(outcome instanceof Resumption.Accepted accepted)) {
            out.complete(new SmResumeResult(outcome instanceof Resumption.Refused refused
                ? refused.failed().toElement()
                : StreamManagement.Failed.of(StanzaErrorCondition.INTERNAL_SERVER_ERROR).toElement(),
                List.of()));
            return;
          }
          Jid jid;
          try {
            jid = Jid.parse(accepted.session().fullJid());
          } catch (JidMalformedException ex) {
            out.complete(new SmResumeResult(StreamManagement.Failed.of(
                StanzaErrorCondition.INTERNAL_SERVER_ERROR).toElement(), List.of()));
            return;
          }
          services.sessions().bind(jid, this).ifPresent(XmppSession::conflict);
          fullJid = jid;
          state = State.BOUND;
          smInbound = accepted.inbound();
          smOutbound = accepted.queue();
          smStored = accepted.session();
          carbons = accepted.session().carbons();
          restorePresence(accepted.session().presence());
          smTags.clear();
          for (int i = 0; i < accepted.queue().size(); i++) {
            smTags.add(Optional.empty()); // what they delivered is not known here: kept unread
          }
          scheduleRefresh(c);
          out.complete(new SmResumeResult(accepted.resumed().toElement(), accepted.resend()));
        }));
    return out;
  }

  /**
   * A resumed session is available again with the presence it had (its contacts saw it go when the
   * old connection was lost), as if the client had sent it again.
   */
  private void restorePresence(String stored) {
    if (stored.isEmpty()) {
      return;
    }
    try {
      presence.fromClient(requireNonNull(fullJid), Xml.parse(stored).toBuilder()
          .attribute("from", requireNonNull(fullJid).toString()).build());
    } catch (IllegalArgumentException e) {
      log.warn("the stored presence of {} does not parse; the client sends it again", fullJid, e);
    }
  }

  /** Stanzas a resumed stream had not acknowledged: already queued and stored, sent as they are. */
  private void sendAgain(List<XmlElement> resend) {
    for (XmlElement stanza : resend) {
      services.listener().stanzaOut(transport, stanza.name());
      writer.send(stanza);
    }
  }

  /** Keeps the stored state alive while the stream is (XEP-0198 state outlives the edge). */
  private void scheduleRefresh(ChannelHandlerContext c) {
    smRefresh = c.executor().scheduleAtFixedRate(() -> {
      ResumableSession stored = smStored;
      if (stored != null) {
        watchLease(services.resumption().store().refresh(stored.id(), stored.lease()));
      }
    }, 30, 30, TimeUnit.SECONDS);
  }

  /** A write refused for a lost lease means the stream was resumed elsewhere: this one ends. */
  private void watchLease(CompletionStage<Boolean> write) {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      return;
    }
    write.whenComplete((ok, error) -> c.executor().execute(() -> {
      if (error != null) {
        log.warn("stream management store failed; the stream stays, without resumption", error);
        ResumableSession stored = smStored;
        smStored = null;
        if (stored != null) {
          services.resumption().store().remove(stored.id(), stored.lease());
        }
      } else if (!ok && smStored != null) {
        smStored = null; // the new holder owns the unacknowledged stanzas now
        resumedElsewhere = true; // and the session's presence: no unavailable from here
        streamError(StreamErrorCondition.CONFLICT, "the stream was resumed elsewhere");
      }
    }));
  }

  // ---- output helpers ----

  private XmlElement.Builder result(XmlElement iq) {
    XmlElement.Builder b = XmlElement.builder("iq", Namespaces.CLIENT).attribute("type", "result");
    iq.attribute("id").ifPresent(id -> b.attribute("id", id));
    if (fullJid != null) {
      b.attribute("to", fullJid.toString());
    }
    iq.attribute("to").ifPresent(to -> b.attribute("from", to));
    return b;
  }

  private void replyError(XmlElement stanza, StanzaErrorCondition condition, String text) {
    XmlElement reply = StanzaErrorCondition.errorReply(stanza, condition, text);
    if (fullJid == null) {
      // Before binding the client has no address to be written to.
      reply = reply.toBuilder().removeAttribute("to").build();
    }
    send(reply);
  }

  private void send(XmlElement stanza) {
    send(stanza, Optional.empty());
  }

  /**
   * Sends a stanza; with stream management it is queued until acknowledged, and a stored message
   * it delivers leaves the unread queue when the client's ack covers it.
   */
  private void send(XmlElement stanza, Optional<EdgeMessaging.Delivery> delivers) {
    services.listener().stanzaOut(transport, stanza.name());
    OutboundQueue queue = smOutbound;
    if (queue == null) {
      writer.send(stanza);
      return;
    }
    String xml = Xml.serialize(stanza);
    try {
      queue.add(xml);
      smTags.add(delivers);
    } catch (OutboundQueueFullException e) {
      streamError(StreamErrorCondition.RESOURCE_CONSTRAINT, "too many unacknowledged stanzas");
      return;
    }
    ResumableSession stored = smStored;
    if (stored == null && smSendChain.isDone()) {
      writer.send(stanza);
    } else if (stored == null) {
      // Resumption was just given up (the store failed) while earlier stanzas still wait for
      // their store writes: this one goes on the wire after them, never ahead.
      ChannelHandlerContext c = requireNonNull(ctx);
      smSendChain = smSendChain.thenRunAsync(() -> {
        if (state != State.CLOSED) {
          writer.send(stanza);
        }
      }, c.executor());
    } else {
      // Stored before it goes on the wire, in order: a client may only ever have received what
      // another edge can send again after this one dies (the resumed h must fit the queue).
      CompletionStage<Boolean> write =
          services.resumption().store().appendUnacked(stored.id(), stored.lease(), xml);
      watchLease(write);
      ChannelHandlerContext c = requireNonNull(ctx);
      smSendChain = smSendChain
          .thenCombine(write.toCompletableFuture().exceptionally(error -> true), (a, b) -> b)
          .thenAcceptAsync(ok -> {
            if (ok && state != State.CLOSED) {
              writer.send(stanza);
            }
          }, c.executor());
    }
    if (!smAckRequested && queue.size() >= SM_REQUEST_EVERY) {
      smAckRequested = true;
      sendAckRequest();
    }
  }

  private void streamError(XmlElement error) {
    if (state == State.CLOSED) {
      return;
    }
    endedOnPurpose = true; // an ended stream is not resumable (XEP-0198 §5)
    if (!headerSent) {
      sendHeader();
    }
    state = State.CLOSED;
    writer.send(error);
    writer.close();
  }

  private void streamError(StreamErrorCondition condition, String text) {
    if (state == State.CLOSED) {
      return;
    }
    services.listener().streamError(transport, condition);
    endedOnPurpose = true; // an ended stream is not resumable (XEP-0198 §5)
    if (!headerSent) {
      sendHeader(); // RFC 6120 §4.9.1.1: the header precedes an error
    }
    state = State.CLOSED;
    writer.send(condition.toElement(text));
    writer.close();
  }

  private static Optional<Jid> parse(String jid) {
    try {
      return Optional.of(Jid.parse(jid));
    } catch (JidMalformedException e) {
      return Optional.empty();
    }
  }

  private static String randomId() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}

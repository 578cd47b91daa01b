package dev.tern.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.edge.sasl.ScramClient;
import dev.tern.edge.sasl.ScramHash;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.StreamErrorException;
import dev.tern.xmpp.xml.StreamEvent;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlLimits;
import dev.tern.xmpp.xml.XmlNamespaces;
import dev.tern.xmpp.xml.XmlStreamParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One client connection to a {@link TestEdge}, driven like a script: {@link #send} what the client
 * writes, {@link #next} what the server wrote, element by element. Every call first runs what the
 * session queued on its event loop. Helpers do the usual steps ({@link #open},
 * {@link #authenticate}, {@link #bind}, {@link #enableSm}) and assert that each succeeded.
 */
public final class TestClient {

  public static final String CLIENT = "jabber:client";
  public static final String STREAMS = "http://etherx.jabber.org/streams";
  public static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
  public static final String BIND = "urn:ietf:params:xml:ns:xmpp-bind";
  public static final String SM = "urn:xmpp:sm:3";
  public static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
  public static final String STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";

  private final EmbeddedChannel channel;
  private final boolean framed;
  /** The client's end of TLS once {@link #startTls} negotiated it: bytes pass through it. */
  private @Nullable EmbeddedChannel tls;
  private final Deque<StreamEvent> received = new ArrayDeque<>();
  private XmlStreamParser parser = newParser();
  private boolean webSocketClosed;
  private Optional<Jid> jid = Optional.empty();

  TestClient(EmbeddedChannel channel, boolean framed) {
    this.channel = channel;
    this.framed = framed;
  }

  private static XmlStreamParser newParser() {
    return new XmlStreamParser(XmlLimits.DEFAULTS, XmlStreamParser.Mode.STREAM);
  }

  // ---- raw input and output ----

  /**
   * Writes one top-level element (a stanza, a nonza); without its own {@code xmlns} it gets
   * {@code jabber:client}, as a stream's default namespace would give it.
   */
  public TestClient send(String xml) {
    return sendRaw(withClientNamespace(xml));
  }

  /**
   * Writes {@code xml} as it is: one WebSocket message, or the next bytes of a TCP stream.
   */
  public TestClient sendRaw(String xml) {
    if (framed) {
      channel.writeInbound(xml);
    } else if (tls != null) {
      tls.writeOutbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
      readOutbound(); // moves the records both ways
    } else {
      channel.writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
    }
    run();
    return this;
  }

  /** The client's stream header: RFC 7395's {@code <open/>}, or {@code <stream:stream>}. */
  public TestClient sendHeader(String to) {
    if (framed) {
      return sendRaw("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='" + to
          + "' version='1.0'/>");
    }
    readOutbound(); // what the old stream wrote; the server's answer is a new document
    restartParser();
    return sendRaw("<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
        + " xmlns:stream='http://etherx.jabber.org/streams' to='" + to + "' version='1.0'>");
  }

  /** The client closes its stream: {@code <close/>}, or {@code </stream:stream>}. */
  public TestClient sendClose() {
    return sendRaw(framed ? "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>"
        : "</stream:stream>");
  }

  /** The next thing the server wrote: a header, an element or the stream's end. */
  public StreamEvent nextEvent() {
    run();
    readOutbound();
    StreamEvent event = received.poll();
    if (event == null) {
      throw new AssertionError("the server wrote nothing (more)");
    }
    return event;
  }

  /** The next element the server wrote; fails if it wrote nothing, a header or its close. */
  public XmlElement next() {
    StreamEvent event = nextEvent();
    if (!(event instanceof StreamEvent.Element e)) {
      throw new AssertionError("expected an element, got " + event);
    }
    return e.element();
  }

  /** Everything the server wrote and the test did not read yet. */
  public List<StreamEvent> drainEvents() {
    run();
    readOutbound();
    List<StreamEvent> out = new ArrayList<>(received);
    received.clear();
    return out;
  }

  /** The elements the server wrote and the test did not read yet; fails on a header or close. */
  public List<XmlElement> drain() {
    List<XmlElement> out = new ArrayList<>();
    for (StreamEvent e : drainEvents()) {
      if (!(e instanceof StreamEvent.Element element)) {
        throw new AssertionError("expected only elements, got " + e);
      }
      out.add(element.element());
    }
    return out;
  }

  /** Asserts that the server wrote nothing the test did not read. */
  public void assertNothingMore() {
    assertThat(drainEvents()).as("what the server wrote").isEmpty();
  }

  /** The server's stream header. */
  public StreamEvent.Open header() {
    StreamEvent event = nextEvent();
    if (!(event instanceof StreamEvent.Open open)) {
      throw new AssertionError("expected a stream header, got " + event);
    }
    return open;
  }

  /**
   * Asserts that the server ended the stream with the stream error {@code condition}
   * (RFC 6120 §4.9), then closed it and the connection.
   */
  public void assertStreamError(String condition) {
    XmlElement error = next();
    assertThat(error.name()).isEqualTo("error");
    assertThat(error.namespace()).isEqualTo(STREAMS);
    assertThat(error.elements()).first()
        .satisfies(c -> assertThat(c.name()).isEqualTo(condition))
        .satisfies(c -> assertThat(c.namespace()).isEqualTo(STREAM_ERRORS));
    assertThat(nextEvent()).isInstanceOf(StreamEvent.Close.class);
    assertThat(isOpen()).as("connection open").isFalse();
  }

  /** Whether the connection is still open. */
  public boolean isOpen() {
    run();
    return channel.isOpen();
  }

  /** The connection is lost (no closing of the stream): what a dead phone's network does. */
  public void disconnect() {
    channel.close();
    run();
  }

  /** Lets {@code time} pass on this connection's event loop, running what became due. */
  public void advance(Duration time) {
    channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
    run();
  }

  /** Runs what the session queued on its event loop (completions hop there). */
  public void run() {
    channel.runPendingTasks();
    channel.checkException();
  }

  public EmbeddedChannel channel() {
    return channel;
  }

  /** The full JID {@link #bind} bound. */
  public Jid jid() {
    return jid.orElseThrow(() -> new AssertionError("no resource bound"));
  }

  // ---- the usual steps ----

  /** Opens a stream to the edge's domain; returns the features after the server's header. */
  public XmlElement open() {
    sendHeader(TestEdge.DOMAIN);
    StreamEvent.Open open = header();
    assertThat(open.attributes()).containsEntry("from", TestEdge.DOMAIN)
        .containsEntry("version", "1.0").containsKey("id");
    XmlElement features = next();
    assertThat(features.name()).isEqualTo("features");
    assertThat(features.namespace()).isEqualTo(STREAMS);
    return features;
  }

  /**
   * The defined condition of an error stanza (RFC 6120 §8.3.3), e.g. {@code service-unavailable};
   * fails if {@code stanza} is not of type error.
   */
  public static String errorCondition(XmlElement stanza) {
    assertThat(stanza.attribute("type")).as(stanza.toString()).contains("error");
    XmlElement error = stanza.child("error", stanza.namespace())
        .orElseThrow(() -> new AssertionError("no <error/> in " + stanza));
    return error.elements().stream().filter(c -> c.namespace().equals(STANZAS))
        .filter(c -> !c.name().equals("text")).map(XmlElement::name).findFirst()
        .orElseThrow(() -> new AssertionError("no defined condition in " + stanza));
  }

  /** The element {@code xml} holds, for comparing with what the server wrote. */
  public static XmlElement xml(String xml) {
    return Xml.parse(xml);
  }

  /** The mechanism names the features offer (RFC 6120 §6.4.1). */
  public static List<String> mechanisms(XmlElement features) {
    return features.child("mechanisms", SASL).map(m -> m.elements().stream()
        .map(XmlElement::text).toList()).orElse(List.of());
  }

  /**
   * Opens a stream and authenticates: PLAIN when offered, else SCRAM-SHA-1; then restarts the
   * stream (RFC 6120 §6.4.6). Returns the features of the new stream.
   */
  public XmlElement authenticate(String username, String password) {
    XmlElement features = open();
    if (mechanisms(features).contains("PLAIN")) {
      sendPlain(username, password);
      XmlElement success = next();
      assertThat(success.name()).as(success.toString()).isEqualTo("success");
    } else {
      scram(username, password);
    }
    return open();
  }

  /** {@code <auth mechanism='PLAIN'>} with the authcid and password (RFC 4616). */
  public TestClient sendPlain(String username, String password) {
    String response = Base64.getEncoder().encodeToString(
        ("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8));
    return send("<auth xmlns='" + SASL + "' mechanism='PLAIN'>" + response + "</auth>");
  }

  /** A whole SCRAM-SHA-1 exchange (RFC 5802) that must succeed. */
  private void scram(String username, String password) {
    ScramClient client = ScramClient.simple(ScramHash.SHA_1, username, password);
    send("<auth xmlns='" + SASL + "' mechanism='SCRAM-SHA-1'>"
        + base64(client.clientFirst()) + "</auth>");
    XmlElement challenge = next();
    assertThat(challenge.name()).as(challenge.toString()).isEqualTo("challenge");
    send("<response xmlns='" + SASL + "'>"
        + base64(client.clientFinal(Base64.getDecoder().decode(challenge.text()))) + "</response>");
    XmlElement success = next();
    assertThat(success.name()).as(success.toString()).isEqualTo("success");
    assertThat(client.serverIsAuthentic(Base64.getDecoder().decode(success.text()))).isTrue();
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Binds {@code resource} (RFC 6120 §7) and returns the full JID the server assigned. */
  public Jid bind(String resource) {
    send("<iq type='set' id='bind-1'><bind xmlns='" + BIND + "'><resource>" + resource
        + "</resource></bind></iq>");
    XmlElement result = next();
    assertThat(result.attribute("type")).as(result.toString()).contains("result");
    String bound = result.child("bind", BIND).flatMap(b -> b.child("jid", BIND))
        .map(XmlElement::text).orElseThrow(() -> new AssertionError("no jid in " + result));
    try {
      jid = Optional.of(Jid.parse(bound));
    } catch (JidMalformedException e) {
      throw new AssertionError(bound, e);
    }
    return jid.get();
  }

  /** Authenticates and binds {@code resource}. */
  public TestClient login(String username, String password, String resource) {
    authenticate(username, password);
    bind(resource);
    return this;
  }

  /** {@code <enable resume='true'/>} (XEP-0198 §3); returns {@code <enabled/>}. */
  public XmlElement enableSm() {
    send("<enable xmlns='" + SM + "' resume='true'/>");
    XmlElement enabled = next();
    assertThat(enabled.name()).as(enabled.toString()).isEqualTo("enabled");
    return enabled;
  }

  /**
   * STARTTLS (RFC 6120 §5.4) on a stream the client has opened: {@code <starttls/>}, the
   * server's {@code <proceed/>}, then a TLS handshake with {@code context} (for the edge's domain)
   * and what follows through it. The client opens its stream again next ({@link #open}).
   */
  public TestClient startTls(SslContext context) {
    send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    XmlElement proceed = next();
    assertThat(proceed.name()).as(proceed.toString()).isEqualTo("proceed");
    SslHandler handler = context.newHandler(channel.alloc(), TestEdge.DOMAIN, 5222);
    tls = new EmbeddedChannel(handler); // active at once: the ClientHello is written
    readOutbound();
    assertThat(handler.handshakeFuture().isSuccess()).as("TLS handshake done").isTrue();
    return this;
  }

  /** The client's TLS handler, once {@link #startTls} has negotiated TLS. */
  public SslHandler tlsHandler() {
    if (tls == null) {
      throw new AssertionError("no TLS negotiated");
    }
    return tls.pipeline().get(SslHandler.class);
  }

  // ---- decoding what the server wrote ----

  private void readOutbound() {
    boolean moved = true;
    while (moved) {
      moved = false;
      Object out;
      while ((out = channel.readOutbound()) != null) {
        moved = true;
        if (tls != null && out instanceof ByteBuf records) {
          tls.writeInbound(records); // the client's TLS reads what the server wrote
          continue;
        }
        received(out);
      }
      if (tls != null) {
        while ((out = tls.readOutbound()) != null) {
          if (!channel.isOpen()) { // e.g. the answer to the server's close_notify
            ReferenceCountUtil.release(out);
            continue;
          }
          moved = true;
          channel.writeInbound(out); // handshake messages and records of what the client sent
          channel.runPendingTasks();
        }
        while ((out = tls.readInbound()) != null) {
          received(out);
        }
        tls.checkException();
      }
    }
  }

  private void received(Object out) {
    try {
      if (out instanceof TextWebSocketFrame text) {
        received.add(frame(text.text()));
      } else if (out instanceof CloseWebSocketFrame) {
        webSocketClosed = true;
      } else if (out instanceof ByteBuf bytes) {
        feed(ByteBufUtil.getBytes(bytes));
      } else {
        throw new AssertionError("unexpected outbound " + out);
      }
    } finally {
      ReferenceCountUtil.release(out);
    }
  }

  /** Whether the server sent a WebSocket close frame (RFC 6455 §5.5.1) after {@code <close/>}. */
  public boolean webSocketClosed() {
    readOutbound();
    return webSocketClosed;
  }

  private static StreamEvent frame(String text) {
    XmlElement e = Xml.parse(text);
    if (e.namespace().equals(XmlNamespaces.FRAMING) && e.name().equals("open")) {
      return new StreamEvent.Open(e.attributes(), CLIENT);
    }
    if (e.namespace().equals(XmlNamespaces.FRAMING) && e.name().equals("close")) {
      return new StreamEvent.Close();
    }
    return new StreamEvent.Element(e, text.length());
  }

  private void feed(byte[] bytes) {
    try {
      int offset = 0;
      while (offset < bytes.length) {
        offset += parser.feed(bytes, offset, bytes.length - offset, event -> {
          received.add(event);
          if (event instanceof StreamEvent.Close) {
            parser = newParser(); // a new stream may follow on the same bytes (never here)
          }
        });
      }
    } catch (StreamErrorException e) {
      throw new AssertionError("the server wrote malformed XML", e);
    }
  }

  /** After STARTTLS or SASL success the server opens a new stream: a new document. */
  private void restartParser() {
    parser = newParser();
  }

  private static String withClientNamespace(String xml) {
    int tagEnd = xml.indexOf('>');
    if (tagEnd < 0 || xml.substring(0, tagEnd).matches("(?s).*\\sxmlns\\s*=.*")) {
      return xml;
    }
    int nameEnd = 1;
    while (nameEnd < tagEnd && !Character.isWhitespace(xml.charAt(nameEnd))
        && xml.charAt(nameEnd) != '/') {
      nameEnd++;
    }
    return xml.substring(0, nameEnd) + " xmlns='" + CLIENT + "'" + xml.substring(nameEnd);
  }
}

package dev.tern.edge.transport;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.session.EdgeServices;
import dev.tern.edge.session.SessionListener;
import dev.tern.edge.session.XmppSession;
import dev.tern.edge.stream.WebSocketStreamWriter;
import dev.tern.edge.xml.XmppFrameDecoder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.List;

/**
 * XMPP over WebSocket at {@code /ws} on the region's HTTP port (RFC 7395): the upgrade requires
 * the {@code xmpp} subprotocol (§3.1); after it the connection speaks framed XMPP to the same
 * session as the TCP transports.
 */
public final class WebSocketXmpp {

  public static final String PATH = "/ws";
  public static final String SUBPROTOCOL = "xmpp";

  private WebSocketXmpp() {}

  /** Adds the upgrade to an HTTP pipeline, before its routes. */
  public static void install(ChannelPipeline pipeline, EdgeServices services) {
    requireNonNull(services, "services");
    pipeline.addLast("ws", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
        .websocketPath(PATH)
        .subprotocols(SUBPROTOCOL)
        .maxFramePayloadLength(services.xmlLimits().maxStanzaBytes())
        .handshakeTimeoutMillis(10_000)
        .build()));
    pipeline.addLast("ws-upgraded", new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
          ChannelPipeline p = ctx.pipeline();
          if (!SUBPROTOCOL.equals(done.selectedSubprotocol())) {
            // RFC 7395 §3.1: no xmpp subprotocol, no XMPP.
            ctx.close();
            return;
          }
          p.remove("read-timeout");
          p.remove("routes");
          p.addLast("rate", C2sListeners.rateLimiter(services));
          p.addLast("ws-text", new MessageToMessageDecoder<TextWebSocketFrame>() {
            @Override
            protected void decode(ChannelHandlerContext c, TextWebSocketFrame frame, List<Object> out) {
              out.add(frame.text());
            }
          });
          p.addLast("xml", new XmppFrameDecoder(services.xmlLimits()));
          p.addLast("session", new XmppSession(services, SessionListener.Transport.WEBSOCKET,
              new WebSocketStreamWriter(ctx.channel()), false));
          p.remove(this);
        }
        super.userEventTriggered(ctx, evt);
      }
    });
  }
}

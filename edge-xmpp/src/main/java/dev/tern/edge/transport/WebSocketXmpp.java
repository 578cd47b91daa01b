package dev.tern.edge.transport;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.bearer.BearerTokens;
import dev.tern.edge.session.EdgeServices;
import dev.tern.edge.session.SessionListener;
import dev.tern.edge.session.XmppSession;
import dev.tern.edge.stream.WebSocketStreamWriter;
import dev.tern.edge.codec.XmppFrameDecoder;
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

  /** RFC 6750 §3.1: an invalid token is answered 401 with the challenge, and the upgrade ends. */
  private static void refuse(ChannelHandlerContext ctx) {
    var response = new io.netty.handler.codec.http.DefaultFullHttpResponse(
        io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
        io.netty.handler.codec.http.HttpResponseStatus.UNAUTHORIZED);
    response.headers()
        .set(io.netty.handler.codec.http.HttpHeaderNames.WWW_AUTHENTICATE,
            "Bearer error=\"invalid_token\"")
        .setInt(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH, 0);
    ctx.writeAndFlush(response).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
  }

  /** Who a valid bearer token on the upgrade request authenticated (RFC 6750). */
  private static final io.netty.util.AttributeKey<String> BEARER_USER =
      io.netty.util.AttributeKey.valueOf("tern.bearer.user");

  /**
   * Adds the upgrade to an HTTP pipeline, before its routes: {@code /ws}, and {@code /ws/connect}
   * with {@code Authorization: Bearer <token>} for a session that needs no SASL.
   */
  public static void install(ChannelPipeline pipeline, EdgeServices services) {
    requireNonNull(services, "services");
    pipeline.addLast("ws-auth", new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof io.netty.handler.codec.http.FullHttpRequest request
            && request.uri().startsWith(PATH)) {
          String authorization = request.headers().get(
              io.netty.handler.codec.http.HttpHeaderNames.AUTHORIZATION);
          if (authorization != null) {
            java.util.Optional<BearerTokens.Verified> token =
                authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? services.bearer().check(authorization.substring(7).strip())
                    : java.util.Optional.empty();
            if (token.isEmpty()) {
              request.release();
              refuse(ctx);
              return;
            }
            // The account must exist and have had its credentials set before the token was
            // issued: a removal or a password change revokes the tokens issued before it.
            ctx.channel().config().setAutoRead(false);
            services.accounts().find(token.get().username()).whenComplete((account, error) ->
                ctx.executor().execute(() -> {
                  ctx.channel().config().setAutoRead(true);
                  if (error != null || account.isEmpty() || token.get().issuedAt()
                      .isBefore(account.get().credentialsChangedAt())) {
                    request.release();
                    refuse(ctx);
                    return;
                  }
                  ctx.channel().attr(BEARER_USER).set(token.get().username());
                  ctx.fireChannelRead(request);
                }));
            return;
          }
        }
        super.channelRead(ctx, msg);
      }
    });
    pipeline.addLast("ws", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
        .websocketPath(PATH)
        .checkStartsWith(true)
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
              new WebSocketStreamWriter(ctx.channel()), false, ctx.channel().attr(BEARER_USER).get()));
          p.remove("ws-auth");
          p.remove(this);
        }
        super.userEventTriggered(ctx, evt);
      }
    });
  }
}

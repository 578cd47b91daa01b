package dev.tern.edge.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches a complete request to the route registered for its path. */
final class RouteHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(RouteHandler.class);

  private final Map<String, HttpRoute> routes;

  RouteHandler(Map<String, HttpRoute> routes) {
    this.routes = routes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      send(ctx, request, HttpAnswer.text(400, "text/plain", "bad request\n"), false);
      return;
    }
    boolean head = HttpMethod.HEAD.equals(request.method());
    if (!head && !HttpMethod.GET.equals(request.method())) {
      send(ctx, request, HttpAnswer.text(405, "text/plain", "method not allowed\n"), false);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    HttpRoute route = routes.get(uri.path());
    if (route == null) {
      send(ctx, request, HttpAnswer.text(404, "text/plain", "not found\n"), head);
      return;
    }
    // The request is released when this method returns; the answer may come later.
    Reply reply = new Reply(request.protocolVersion(), HttpUtil.isKeepAlive(request), head);
    java.net.SocketAddress remote = ctx.channel().remoteAddress();
    HttpCall call = new HttpCall(uri.path(), uri.parameters(), Optional.ofNullable(
        remote instanceof InetSocketAddress inet ? inet.getAddress() : null));
    route.answer().apply(call).whenComplete((answer, error) -> ctx.executor().execute(() -> {
      if (error != null) {
        log.warn("HTTP {} failed", route.path(), error);
        reply.send(ctx, HttpAnswer.text(500, "text/plain", "internal error\n"));
      } else {
        reply.send(ctx, answer);
      }
    }));
  }

  private static void send(ChannelHandlerContext ctx, FullHttpRequest request, HttpAnswer answer,
      boolean head) {
    new Reply(request.protocolVersion(), HttpUtil.isKeepAlive(request), head).send(ctx, answer);
  }

  /** What a response needs to know of its request. */
  private record Reply(HttpVersion version, boolean keepAlive, boolean head) {

    void send(ChannelHandlerContext ctx, HttpAnswer answer) {
      FullHttpResponse response = new DefaultFullHttpResponse(version,
          HttpResponseStatus.valueOf(answer.status()),
          head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
      response.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
          .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
      HttpUtil.setKeepAlive(response, keepAlive);
      var future = ctx.writeAndFlush(response);
      if (!keepAlive) {
        future.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}

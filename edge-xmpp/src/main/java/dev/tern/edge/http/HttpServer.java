package dev.tern.edge.http;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import dev.tern.edge.transport.Transports;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The region's HTTP port (DESIGN.md: 5280 / 6280): operator endpoints, later WebSocket and uploads. */
public final class HttpServer implements AutoCloseable {

  /** Requests larger than this are refused; operator endpoints take no body. */
  static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final EventLoopGroup group;
  private final Channel channel;

  private HttpServer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /** Binds {@code address} and serves {@code routes}; fails if the port is taken. */
  public static HttpServer start(InetSocketAddress address, List<HttpRoute> routes)
      throws InterruptedException {
    return start(address, routes, pipeline -> { });
  }

  /**
   * As {@link #start(InetSocketAddress, List)}, with {@code upgrades} adding handlers (such as
   * the WebSocket upgrade) between the HTTP codec and the routes.
   */
  public static HttpServer start(InetSocketAddress address, List<HttpRoute> routes,
      Consumer<ChannelPipeline> upgrades) throws InterruptedException {
    requireNonNull(address, "address");
    Map<String, HttpRoute> byPath = new LinkedHashMap<>();
    for (HttpRoute route : routes) {
      if (byPath.putIfAbsent(route.path(), route) != null) {
        throw new IllegalArgumentException("two routes for " + route.path());
      }
    }
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, Transports.ioHandlerFactory());
    try {
      Channel channel = new ServerBootstrap()
          .group(group)
          .channel(Transports.serverChannel())
          // XMPP over WebSocket stops being read past 64 KiB of unsent output (see the edge).
          .childOption(io.netty.channel.ChannelOption.WRITE_BUFFER_WATER_MARK,
              new io.netty.channel.WriteBufferWaterMark(32 * 1024, 64 * 1024))
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline()
                  .addLast("read-timeout", new ReadTimeoutHandler(30, TimeUnit.SECONDS))
                  .addLast(new HttpServerCodec())
                  .addLast(new HttpServerKeepAliveHandler())
                  .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES));
              upgrades.accept(ch.pipeline());
              ch.pipeline().addLast("routes", new RouteHandler(byPath));
            }
          })
          .bind(address).sync().channel();
      return new HttpServer(group, channel);
    } catch (InterruptedException | RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}

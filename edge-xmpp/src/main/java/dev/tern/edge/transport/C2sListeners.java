package dev.tern.edge.transport;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.session.EdgeServices;
import dev.tern.edge.session.SessionListener;
import dev.tern.edge.session.XmppSession;
import dev.tern.edge.stream.TcpStreamWriter;
import dev.tern.edge.tls.OpenSslExporter;
import dev.tern.edge.codec.XmppStreamDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The two client-to-server TCP listeners of an edge: STARTTLS (5222) and Direct TLS (5223). One
 * {@link ChannelInitializer} each; both end in {@link XmppSession}.
 */
public final class C2sListeners implements AutoCloseable {

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel c2s;
  private final Channel directTls;

  private C2sListeners(EventLoopGroup boss, EventLoopGroup workers, Channel c2s, Channel directTls) {
    this.boss = boss;
    this.workers = workers;
    this.c2s = c2s;
    this.directTls = directTls;
  }

  public static C2sListeners start(EdgeServices services) throws InterruptedException {
    requireNonNull(services, "services");
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, Transports.ioHandlerFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(Transports.ioHandlerFactory());
    try {
      Channel c2s = bind(boss, workers, services.config().c2s(), new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel ch) {
          ch.pipeline()
              .addLast("rate", rateLimiter(services))
              .addLast("xml", new XmppStreamDecoder(services.xmlLimits()))
              .addLast("session", new XmppSession(services, SessionListener.Transport.TCP,
                  new TcpStreamWriter(ch), false));
        }
      });
      Channel direct = bind(boss, workers, services.config().directTls(),
          new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              SslHandler tls = services.tls().newHandler(ch.alloc());
              OpenSslExporter.track(ch, tls);
              ch.pipeline()
                  .addLast("tls", tls)
                  .addLast("rate", rateLimiter(services))
                  .addLast("xml", new XmppStreamDecoder(services.xmlLimits()))
                  .addLast("session", new XmppSession(services,
                      SessionListener.Transport.DIRECT_TLS, new TcpStreamWriter(ch), true));
            }
          });
      return new C2sListeners(boss, workers, c2s, direct);
    } catch (InterruptedException | RuntimeException e) {
      boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  static InboundRateLimiter rateLimiter(EdgeServices services) {
    var l = services.config().limits();
    return new InboundRateLimiter(l.bytesPerSecond(), l.burstBytes(), l.floodTolerance());
  }

  private static Channel bind(EventLoopGroup boss, EventLoopGroup workers, InetSocketAddress address,
      ChannelInitializer<SocketChannel> initializer) throws InterruptedException {
    return new ServerBootstrap()
        .group(boss, workers)
        .channel(Transports.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // Past 64 KiB of unsent output a connection stops being read until it drains to 32 KiB.
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new io.netty.channel.WriteBufferWaterMark(32 * 1024, 64 * 1024))
        .childHandler(initializer)
        .bind(address.getHostString(), address.getPort()).sync().channel();
  }

  public InetSocketAddress c2sAddress() {
    return (InetSocketAddress) c2s.localAddress();
  }

  public InetSocketAddress directTlsAddress() {
    return (InetSocketAddress) directTls.localAddress();
  }

  @Override
  public void close() {
    c2s.close().syncUninterruptibly();
    directTls.close().syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}

package dev.tern.edge.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A TLS server on 127.0.0.1, port 0, and clients connecting to it, both ends in this JVM. */
final class Loopback implements AutoCloseable {

  /** The name clients ask for (SNI) and verify the server certificate against. */
  static final String DOMAIN = "example.com";

  /** Both ends of one connection; each completes with its handler once its handshake is done. */
  record Connection(CompletableFuture<SslHandler> server, CompletableFuture<SslHandler> client,
      Channel clientChannel) {

    SslHandler serverSide() throws Exception {
      return server.get(10, TimeUnit.SECONDS);
    }

    SslHandler clientSide() throws Exception {
      return client.get(10, TimeUnit.SECONDS);
    }
  }

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final BlockingQueue<CompletableFuture<SslHandler>> accepted = new LinkedBlockingQueue<>();
  private final Channel server;

  Loopback(SslContext serverContext) throws InterruptedException {
    server = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            HandshakeListener listener = new HandshakeListener();
            accepted.add(listener.done);
            SslHandler tls = serverContext.newHandler(ch.alloc());
            OpenSslExporter.track(ch, tls);
            ch.pipeline().addLast(tls, listener);
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Connects a client that speaks TLS from its first byte (Direct TLS, XEP-0368). */
  Connection connect(SslContext clientContext) throws Exception {
    HandshakeListener listener = new HandshakeListener();
    Channel channel = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            SslHandler tls = clientContext.newHandler(ch.alloc(), DOMAIN, port());
            OpenSslExporter.track(ch, tls);
            ch.pipeline().addLast(tls, listener);
          }
        })
        .connect(server.localAddress()).sync().channel();
    return new Connection(accepted(), listener.done, channel);
  }

  /** The server end of the next connection accepted, for clients connected by other means. */
  CompletableFuture<SslHandler> accepted() throws InterruptedException {
    CompletableFuture<SslHandler> serverSide = accepted.poll(10, TimeUnit.SECONDS);
    if (serverSide == null) {
      throw new IllegalStateException("the server accepted no connection");
    }
    return serverSide;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class HandshakeListener extends ChannelInboundHandlerAdapter {

    final CompletableFuture<SslHandler> done = new CompletableFuture<>();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent event) {
        if (event.isSuccess()) {
          done.complete(ctx.pipeline().get(SslHandler.class));
        } else {
          done.completeExceptionally(event.cause());
        }
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      done.completeExceptionally(cause);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done.completeExceptionally(new ClosedChannelException());
      ctx.fireChannelInactive();
    }
  }
}

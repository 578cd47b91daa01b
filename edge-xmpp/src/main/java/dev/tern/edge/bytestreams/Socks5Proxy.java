package dev.tern.edge.bytestreams;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.transport.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5Message;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's SOCKS5 listener (RFC 1928 as XEP-0065 §6.3.2 profiles it): no authentication, one
 * CONNECT to a domain name that is the bytestream's hash (40 lower-case hex digits) and port 0.
 * A connection that does not finish that handshake within ten seconds is closed; one that does
 * is handed to {@link Bytestreams} and waits, unread, for its activation. Every connection runs
 * on one event loop: relaying costs little CPU, and a bytestream's two sides then never race.
 */
public final class Socks5Proxy implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Socks5Proxy.class);
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{40}");
  private static final int HANDSHAKE_SECONDS = 10;

  private final EventLoopGroup loop;
  private final Channel listener;

  private Socks5Proxy(EventLoopGroup loop, Channel listener) {
    this.loop = loop;
    this.listener = listener;
  }

  /** Listens on {@code address} (port 0: any free port) for {@code bytestreams}' connections. */
  public static Socks5Proxy start(InetSocketAddress address, Bytestreams bytestreams)
      throws InterruptedException {
    requireNonNull(address, "address");
    requireNonNull(bytestreams, "bytestreams");
    // One thread accepts and relays: the listener and every bytestream share its event loop.
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, Transports.ioHandlerFactory());
    try {
      Channel channel = new ServerBootstrap()
          .group(loop)
          .channel(Transports.serverChannel())
          .childOption(ChannelOption.AUTO_READ, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline()
                  .addLast("timeout", new ReadTimeoutHandler(HANDSHAKE_SECONDS, TimeUnit.SECONDS))
                  .addLast("encoder", Socks5ServerEncoder.DEFAULT)
                  .addLast("decoder", new Socks5InitialRequestDecoder())
                  .addLast("handshake", new Handshake(bytestreams));
            }
          })
          .bind(new InetSocketAddress(address.getHostString(), address.getPort()))
          .sync().channel();
      log.info("bytestreams proxy (XEP-0065) listening on {}", channel.localAddress());
      return new Socks5Proxy(loop, channel);
    } catch (InterruptedException | RuntimeException e) {
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** Where it listens: the configured port, or the one chosen for port 0. */
  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Method selection, then the CONNECT naming the bytestream. */
  private static final class Handshake extends SimpleChannelInboundHandler<Socks5Message> {

    private final Bytestreams bytestreams;

    Handshake(Bytestreams bytestreams) {
      this.bytestreams = bytestreams;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Socks5Message message) {
      if (message.decoderResult().isFailure()) {
        ctx.close();
      } else if (message instanceof Socks5InitialRequest initial) {
        if (!initial.authMethods().contains(Socks5AuthMethod.NO_AUTH)) {
          ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED))
              .addListener(ChannelFutureListener.CLOSE);
          return;
        }
        ctx.pipeline().replace("decoder", "decoder", new Socks5CommandRequestDecoder());
        ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
      } else if (message instanceof Socks5CommandRequest command) {
        connect(ctx, command);
      } else {
        ctx.close();
      }
    }

    private void connect(ChannelHandlerContext ctx, Socks5CommandRequest command) {
      String hash = command.dstAddr();
      if (command.type() != Socks5CommandType.CONNECT
          || command.dstAddrType() != Socks5AddressType.DOMAIN || !HASH.matcher(hash).matches()) {
        ctx.writeAndFlush(new DefaultSocks5CommandResponse(
                Socks5CommandStatus.COMMAND_UNSUPPORTED, Socks5AddressType.IPv4))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      // Nothing more is read until the bytestream is activated; what came with the CONNECT is
      // kept by the relay.
      ctx.channel().config().setAutoRead(false);
      Channel channel = ctx.channel();
      channel.pipeline().replace(this, "relay", new Bytestreams.Relay());
      channel.pipeline().remove("decoder");
      channel.pipeline().remove("timeout");
      if (!bytestreams.connected(hash, channel)) {
        channel.writeAndFlush(new DefaultSocks5CommandResponse(
                Socks5CommandStatus.FORBIDDEN, Socks5AddressType.IPv4))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      channel.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS,
              Socks5AddressType.DOMAIN, hash, 0))
          .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("SOCKS5 handshake failed: {}", cause.toString());
      ctx.close();
    }
  }
}

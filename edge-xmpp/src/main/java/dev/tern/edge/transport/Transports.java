package dev.tern.edge.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport of the edge's listeners: Netty's native epoll on Linux, Java NIO
 * elsewhere. Epoll keeps a connection in a few small objects where NIO needs a JDK socket channel,
 * its locks, a socket adaptor, a selection key and entries in the selector's maps, about half a
 * kilobyte more per idle connection (docs/operator-guide.md, "Memory and many connections").
 */
public final class Transports {

  private static final Logger log = LoggerFactory.getLogger(Transports.class);
  private static final boolean EPOLL = Epoll.isAvailable();

  static {
    if (!EPOLL) {
      log.info("native epoll is not available ({}); the edge listens with Java NIO",
          Epoll.unavailabilityCause().toString());
    }
  }

  private Transports() {}

  /** Whether listeners use native epoll. */
  public static boolean epoll() {
    return EPOLL;
  }

  /** For the event loops of listeners and the connections they accept. */
  public static IoHandlerFactory ioHandlerFactory() {
    return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  /** The listening channel type that goes with {@link #ioHandlerFactory()}. */
  public static Class<? extends ServerChannel> serverChannel() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }
}

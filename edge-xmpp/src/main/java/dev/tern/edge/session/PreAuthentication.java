package dev.tern.edge.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The limits on a stream until it authenticated (RFC 6120 §13.12): the rate of new connections
 * per address ({@link ConnectionRate}), and the time it may take.
 */
final class PreAuthentication {

  private final EdgeServices services;
  private @Nullable ScheduledFuture<?> timeout;

  PreAuthentication(EdgeServices services) {
    this.services = services;
  }

  /**
   * Counts the connection against its address's rate and starts the clock, which runs {@code
   * expired} unless {@link #end()} came first; false if the address is over its rate.
   */
  boolean start(ChannelHandlerContext ctx, Runnable expired) {
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote
        && !services.connectionRate().admit(remote.getAddress())) {
      services.refusals().refused(remote.getAddress());
      return false;
    }
    Duration limit = services.config().limits().preAuthTimeout();
    timeout = ctx.executor().schedule(expired, limit.toMillis(), TimeUnit.MILLISECONDS);
    return true;
  }

  /** The stream authenticated or closed: the limits stop applying. */
  void end() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null; // a cancelled task and what it captured, kept by nothing else
    }
  }
}

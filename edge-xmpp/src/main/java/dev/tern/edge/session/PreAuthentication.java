package dev.tern.edge.session;

import static java.util.Objects.requireNonNull;

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
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable Runnable expired;

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
    this.ctx = ctx;
    this.expired = expired;
    schedule();
    return true;
  }

  /**
   * The stream made progress without authenticating: an in-band registration (XEP-0077, rate
   * limited per address) restarts the clock, so a tool registering accounts one after the other
   * on one connection is not cut off.
   */
  void restart() {
    if (timeout != null && timeout.cancel(false)) {
      schedule();
    }
  }

  private void schedule() {
    Duration limit = services.config().limits().preAuthTimeout();
    timeout = requireNonNull(ctx).executor().schedule(requireNonNull(expired), limit.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The stream authenticated or closed: the limits stop applying. */
  void end() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null; // a cancelled task and what it captured, kept by nothing else
      ctx = null;
      expired = null;
    }
  }
}

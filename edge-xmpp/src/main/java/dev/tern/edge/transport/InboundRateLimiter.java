package dev.tern.edge.transport;

import dev.tern.edge.stream.ReadGate;
import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.StreamErrorException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.TimeUnit;

/**
 * Per-connection inbound byte rate (a token bucket). A client that sends faster than its rate is
 * slowed by TCP flow control: the edge stops reading its socket until the bucket has refilled.
 * A client that keeps the edge throttled for longer than {@code floodTolerance} is flooding and
 * gets {@code <policy-violation/>} (RFC 6120 §4.9.3.14).
 *
 * <p>It also stops reading while the connection is not writable (Netty's write-buffer high-water
 * mark): a client that sends requests but does not read the answers cannot make the edge buffer
 * without bound; reading resumes when its socket drains below the low-water mark. And it is the
 * connection's {@link ReadGate}: the session stops reading through it too (too many stanzas in
 * flight), and reading resumes only once none of these reasons holds.
 */
public final class InboundRateLimiter extends ChannelDuplexHandler implements ReadGate {

  // Why reading is stopped: the bits of stoppedBy.
  private static final int RATE = 1;
  private static final int UNWRITABLE = 2;
  private static final int FLOODED = 4;
  private static final int SESSION = 8;

  private final long bytesPerSecond;
  private final long burstBytes;
  private final long floodToleranceNanos;
  private long tokens;
  private long lastRefill = System.nanoTime();
  private long throttledSince = -1;
  private int stoppedBy;

  public InboundRateLimiter(long bytesPerSecond, long burstBytes, java.time.Duration floodTolerance) {
    if (bytesPerSecond < 1 || burstBytes < 1) {
      throw new IllegalArgumentException("rate and burst must be positive");
    }
    this.bytesPerSecond = bytesPerSecond;
    this.burstBytes = burstBytes;
    this.floodToleranceNanos = floodTolerance.toNanos();
    this.tokens = burstBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if ((stoppedBy & FLOODED) != 0) {
      io.netty.util.ReferenceCountUtil.release(msg);
      return;
    }
    refill();
    tokens -= size(msg);
    ctx.fireChannelRead(msg);
    if (tokens < 0 && (stoppedBy & RATE) == 0) {
      long now = System.nanoTime();
      if (throttledSince < 0) {
        throttledSince = now;
      } else if (now - throttledSince > floodToleranceNanos) {
        stop(ctx.channel(), FLOODED);
        ctx.fireExceptionCaught(new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
            "sending faster than " + bytesPerSecond + " bytes/s for too long"));
        return;
      }
      stop(ctx.channel(), RATE);
      long waitNanos = (-tokens) * 1_000_000_000L / bytesPerSecond;
      ctx.executor().schedule(() -> resume(ctx), Math.max(1, waitNanos / 1_000_000),
          TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Holds back read requests while throttled: handlers further in (a decoder that has not yet
   * produced a message) may ask for more input, which would defeat the pause.
   */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      start(ctx.channel(), UNWRITABLE);
    } else {
      stop(ctx.channel(), UNWRITABLE);
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    if (stoppedBy != 0 || !ctx.channel().isWritable()) {
      return; // start() or writability asks for the read again
    }
    ctx.read();
  }

  @Override
  public void holdReading(Channel channel) {
    stop(channel, SESSION);
  }

  @Override
  public void releaseReading(Channel channel) {
    start(channel, SESSION);
  }

  private void resume(ChannelHandlerContext ctx) {
    refill();
    if (tokens >= burstBytes) {
      throttledSince = -1; // the client slowed down on its own
    }
    start(ctx.channel(), RATE);
  }

  private void stop(Channel channel, int reason) {
    stoppedBy |= reason;
    channel.config().setAutoRead(false);
  }

  /** Lifts one reason; reading resumes once none is left. */
  private void start(Channel channel, int reason) {
    stoppedBy &= ~reason;
    if (stoppedBy == 0 && channel.isActive() && channel.isWritable()) {
      channel.config().setAutoRead(true);
      channel.read();
    }
  }

  private void refill() {
    long now = System.nanoTime();
    long add = (now - lastRefill) * bytesPerSecond / 1_000_000_000L;
    if (add > 0) {
      tokens = Math.min(burstBytes, tokens + add);
      lastRefill = now;
    }
    if (tokens >= burstBytes && (stoppedBy & RATE) == 0) {
      throttledSince = -1;
    }
  }

  private static long size(Object msg) {
    if (msg instanceof ByteBuf buf) {
      return buf.readableBytes();
    }
    if (msg instanceof ByteBufHolder holder) {
      return holder.content().readableBytes();
    }
    return 0;
  }
}

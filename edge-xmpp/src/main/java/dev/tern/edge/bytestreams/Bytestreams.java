package dev.tern.edge.bytestreams;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's bytestreams (XEP-0065 §6), by the hash both parties name in their SOCKS5 CONNECT:
 * the first connection with a hash is the target's, the second the initiator's, a third is
 * refused. Nothing is read from either until the initiator activates the bytestream (§6.3.5:
 * bytes sent before are kept, not dropped); then every byte one sends goes to the other, each
 * side reading only as fast as the other writes. A bytestream not activated within {@code
 * activationTimeout} is closed, and so is either side once the other closes. Thread-safe.
 */
public final class Bytestreams {

  private static final Logger log = LoggerFactory.getLogger(Bytestreams.class);

  /** What {@link #activate} found. */
  public enum Activation {
    ACTIVATED,
    /** No connection with that hash. */
    NONE,
    /** Only the target connected. */
    TARGET_ONLY,
    /** Already activated. */
    ALREADY
  }

  private static final class Pair {
    final Channel target;
    Channel initiator;
    boolean active;

    Pair(Channel target) {
      this.target = target;
    }
  }

  private final Map<String, Pair> pairs = new HashMap<>();
  private final Duration activationTimeout;
  private final int maxBytestreams;

  /**
   * @param activationTimeout how long a connection may wait for its bytestream's activation
   * @param maxBytestreams how many bytestreams (waiting or active) the proxy holds at once
   */
  public Bytestreams(Duration activationTimeout, int maxBytestreams) {
    this.activationTimeout = requireNonNull(activationTimeout, "activationTimeout");
    this.maxBytestreams = maxBytestreams;
  }

  /**
   * A SOCKS5 connection named {@code hash}: true if taken (as the target's, or the initiator's
   * if the target's is there), false if the bytestream already has both or the proxy is full.
   */
  public boolean connected(String hash, Channel channel) {
    requireNonNull(hash, "hash");
    requireNonNull(channel, "channel");
    synchronized (pairs) {
      Pair pair = pairs.get(hash);
      if (pair == null) {
        if (pairs.size() >= maxBytestreams) {
          log.warn("bytestreams proxy full ({} bytestreams): a connection is refused",
              maxBytestreams);
          return false;
        }
        pairs.put(hash, new Pair(channel));
      } else if (pair.initiator == null && pair.target != channel) {
        pair.initiator = channel;
      } else {
        return false;
      }
    }
    channel.closeFuture().addListener(f -> closed(hash, channel));
    channel.eventLoop().schedule(() -> {
      synchronized (pairs) {
        Pair pair = pairs.get(hash);
        if (pair == null || pair.active) {
          return;
        }
      }
      channel.close();
    }, activationTimeout.toMillis(), TimeUnit.MILLISECONDS);
    return true;
  }

  /** The initiator asks for the bytestream {@code hash} (§6.3.5). */
  public Activation activate(String hash) {
    Pair pair;
    synchronized (pairs) {
      pair = pairs.get(hash);
      if (pair == null) {
        return Activation.NONE;
      }
      if (pair.initiator == null) {
        return Activation.TARGET_ONLY;
      }
      if (pair.active) {
        return Activation.ALREADY;
      }
      pair.active = true;
    }
    relay(pair.initiator, pair.target);
    relay(pair.target, pair.initiator);
    return Activation.ACTIVATED;
  }

  /** How many bytestreams the proxy holds. */
  public int size() {
    synchronized (pairs) {
      return pairs.size();
    }
  }

  private void closed(String hash, Channel channel) {
    Channel other = null;
    synchronized (pairs) {
      Pair pair = pairs.get(hash);
      if (pair == null || (pair.target != channel && pair.initiator != channel)) {
        return;
      }
      pairs.remove(hash);
      other = pair.target == channel ? pair.initiator : pair.target;
    }
    if (other != null) {
      // What was written to it still goes out first.
      other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** From now on what {@code from} read and reads is written to {@code to}. */
  private static void relay(Channel from, Channel to) {
    from.eventLoop().execute(() -> {
      Relay relay = from.pipeline().get(Relay.class);
      if (relay == null) {
        from.close(); // still in its handshake: not a connection the proxy took
        return;
      }
      relay.start(from, to);
    });
  }

  /**
   * The end of a bytestream connection's pipeline once its handshake is done: keeps what it reads
   * until the bytestream is activated, then writes everything to the peer. It stops reading
   * while the peer's outbound buffer is full, and reads again once that drained, so a slow reader
   * slows the writer.
   */
  static final class Relay extends ChannelInboundHandlerAdapter {

    private final List<Object> held = new ArrayList<>(1);
    private @Nullable Channel peer;

    void start(Channel self, Channel to) {
      peer = to;
      held.forEach(to::write);
      held.clear();
      to.flush();
      to.pipeline().addFirst(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
          if (to.isWritable()) {
            self.config().setAutoRead(true);
          }
          ctx.fireChannelWritabilityChanged();
        }
      });
      self.config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Channel to = peer;
      if (to == null) {
        held.add(msg); // sent before activation: kept, not dropped (XEP-0065 §6.3.5)
        return;
      }
      to.writeAndFlush(msg);
      if (!to.isWritable()) {
        ctx.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      held.forEach(ReferenceCountUtil::release);
      held.clear();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      handlerRemoved(ctx);
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("bytestream connection failed: {}", cause.toString());
      ctx.close();
    }
  }
}

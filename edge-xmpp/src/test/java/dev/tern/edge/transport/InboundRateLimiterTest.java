package dev.tern.edge.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.StreamErrorException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InboundRateLimiterTest {

  private static ByteBuf bytes(int n) {
    return Unpooled.wrappedBuffer(new byte[n]);
  }

  @Test
  void aClientWithinItsBurstIsNeverSlowed() {
    EmbeddedChannel ch = new EmbeddedChannel(new InboundRateLimiter(1000, 4000, Duration.ofSeconds(10)));

    ch.writeInbound(bytes(3000));

    assertThat(ch.config().isAutoRead()).isTrue();
    assertThat((ByteBuf) ch.readInbound()).isNotNull();
  }

  @Test
  void aClientAboveItsRateIsSlowedByNotReadingItsSocket() {
    EmbeddedChannel ch = new EmbeddedChannel(new InboundRateLimiter(1000, 4000, Duration.ofSeconds(10)));

    ch.writeInbound(bytes(5000));

    assertThat(ch.config().isAutoRead()).as("reading paused").isFalse();
    assertThat((ByteBuf) ch.readInbound()).as("what was read is still passed on").isNotNull();
  }

  @Test
  void aClientThatStaysAboveItsRateLongerThanTheToleranceIsAFlood() throws Exception {
    AtomicReference<Throwable> error = new AtomicReference<>();
    EmbeddedChannel ch = new EmbeddedChannel(
        new InboundRateLimiter(10_000, 100_000, Duration.ofMillis(30)),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            error.set(cause);
          }
        });

    ch.writeInbound(bytes(100_500)); // 500 bytes over: reading pauses for 50 ms
    assertThat(ch.config().isAutoRead()).isFalse();
    Thread.sleep(60);
    ch.runScheduledPendingTasks(); // reading resumes with the bucket nearly empty
    assertThat(ch.config().isAutoRead()).isTrue();
    ch.writeInbound(bytes(100_500)); // at once far above the rate again, past the tolerance

    assertThat(error.get()).isInstanceOfSatisfying(StreamErrorException.class,
        e -> assertThat(e.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION));
  }

  @Test
  void whileThrottledReadRequestsFromFurtherInAreHeldBack() {
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    EmbeddedChannel ch = new EmbeddedChannel(
        new io.netty.channel.ChannelOutboundHandlerAdapter() {
          @Override
          public void read(ChannelHandlerContext ctx) {
            reads.incrementAndGet();
            ctx.read();
          }
        },
        new InboundRateLimiter(1000, 4000, Duration.ofSeconds(10)));
    ch.pipeline().addLast("decoder", new ChannelInboundHandlerAdapter());
    ch.writeInbound(bytes(5000));
    int before = reads.get();

    ch.pipeline().context("decoder").read(); // a decoder that wants more input

    assertThat(reads.get()).as("no read reached the socket").isEqualTo(before);
  }

  @Test
  void aConnectionThatCannotTakeMoreOutputIsNotReadUntilItDrains() {
    EmbeddedChannel ch = new EmbeddedChannel(new InboundRateLimiter(1_000_000, 1_000_000,
        Duration.ofSeconds(10)));
    ch.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(8, 16));

    // Output the peer does not take: queued, not flushed, past the high-water mark.
    ch.write(bytes(64));
    assertThat(ch.isWritable()).isFalse();
    assertThat(ch.config().isAutoRead()).as("reading stops").isFalse();

    ch.flush(); // the socket drains
    assertThat(ch.isWritable()).isTrue();
    assertThat(ch.config().isAutoRead()).as("reading resumes").isTrue();
  }

  @Test
  void readingHeldByTheSessionStaysOffWhenTheRateAllowsItAgain() throws Exception {
    InboundRateLimiter limiter = new InboundRateLimiter(1000, 4000, Duration.ofSeconds(10));
    EmbeddedChannel ch = new EmbeddedChannel(limiter);
    ch.writeInbound(bytes(4010)); // 10 bytes over: reading pauses for 10 ms

    limiter.holdReading(ch); // and the session has too many stanzas in flight
    Thread.sleep(20);
    ch.runScheduledPendingTasks();

    assertThat(ch.config().isAutoRead()).as("still held by the session").isFalse();
    limiter.releaseReading(ch);
    assertThat(ch.config().isAutoRead()).as("nothing holds it any more").isTrue();
  }

  @Test
  void readingHeldByTheSessionStaysOffWhenTheConnectionDrains() {
    InboundRateLimiter limiter = new InboundRateLimiter(1_000_000, 1_000_000,
        Duration.ofSeconds(10));
    EmbeddedChannel ch = new EmbeddedChannel(limiter);
    ch.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(8, 16));
    limiter.holdReading(ch);
    ch.write(bytes(64));
    assertThat(ch.isWritable()).isFalse();

    limiter.releaseReading(ch); // the session has room again, the socket not yet
    assertThat(ch.config().isAutoRead()).as("the write buffer still holds it").isFalse();
    limiter.holdReading(ch);
    ch.flush();

    assertThat(ch.config().isAutoRead()).as("still held by the session").isFalse();
    limiter.releaseReading(ch);
    assertThat(ch.config().isAutoRead()).isTrue();
  }

  @Test
  void whileTheSessionHoldsReadingReadRequestsFromFurtherInAreHeldBack() {
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    InboundRateLimiter limiter = new InboundRateLimiter(1000, 4000, Duration.ofSeconds(10));
    EmbeddedChannel ch = new EmbeddedChannel(
        new io.netty.channel.ChannelOutboundHandlerAdapter() {
          @Override
          public void read(ChannelHandlerContext ctx) {
            reads.incrementAndGet();
            ctx.read();
          }
        },
        limiter);
    ch.pipeline().addLast("decoder", new ChannelInboundHandlerAdapter());
    limiter.holdReading(ch);
    int before = reads.get();

    ch.pipeline().context("decoder").read();

    assertThat(reads.get()).as("no read reached the socket").isEqualTo(before);
  }
}

package dev.tern.edge.codec;

import dev.tern.xmpp.xml.StreamErrorException;
import dev.tern.xmpp.xml.StreamEvent;
import dev.tern.xmpp.xml.XmlLimits;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Sits after a decoder and records, in order, what it passes on: events and errors. */
final class Recorder extends ChannelInboundHandlerAdapter {

  final List<Object> seen = new ArrayList<>();
  final EmbeddedChannel channel;

  Recorder(ChannelHandler decoder) {
    channel = new EmbeddedChannel(decoder, this);
  }

  static Recorder streamDecoder(XmlLimits limits) {
    return new Recorder(new XmppStreamDecoder(limits));
  }

  static Recorder frameDecoder(XmlLimits limits) {
    return new Recorder(new XmppFrameDecoder(limits));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    seen.add(msg);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    seen.add(cause);
  }

  Recorder write(byte[] bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    return this;
  }

  Recorder write(String text) {
    return write(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes the bytes in pieces of the given size. */
  Recorder writeInChunks(byte[] bytes, int size) {
    for (int i = 0; i < bytes.length; i += size) {
      channel.writeInbound(Unpooled.copiedBuffer(bytes, i, Math.min(size, bytes.length - i)));
    }
    return this;
  }

  Recorder frame(String frame) {
    channel.writeInbound(frame);
    return this;
  }

  List<StreamEvent> events() {
    return seen.stream().filter(StreamEvent.class::isInstance).map(StreamEvent.class::cast)
        .toList();
  }

  List<StreamErrorException> errors() {
    return seen.stream().filter(StreamErrorException.class::isInstance)
        .map(StreamErrorException.class::cast).toList();
  }

  /** The one error fired; fails if there were none or several. */
  StreamErrorException error() {
    List<StreamErrorException> errors = errors();
    if (errors.size() != 1) {
      throw new AssertionError("expected exactly one stream error, saw " + seen);
    }
    return errors.get(0);
  }
}

package dev.tern.edge.xml;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the open-ended XML document of an XMPP stream over TCP or TLS (RFC 6120 §4) into
 * {@link StreamEvent}s, as bytes arrive, split anywhere. Netty's own {@code XmlFrameDecoder} does
 * not fit this (its Javadoc says so): the root element never closes until the stream ends.
 *
 * <p>At the first violation it fires one {@link StreamErrorException} and ignores all further
 * input. {@link #reset()} starts a new stream after STARTTLS or SASL success.
 */
public final class XmppStreamDecoder extends ChannelInboundHandlerAdapter {

  private final List<StreamEvent> pending = new ArrayList<>();
  private final AsyncXmlParser parser;
  private boolean failed;

  public XmppStreamDecoder(XmlLimits limits) {
    this.parser = new AsyncXmlParser(requireNonNull(limits, "limits"), true, pending::add);
  }

  /** The next bytes begin a new stream with a new header (RFC 6120 §5.4.3.3, §6.4.6). */
  public void reset() {
    parser.reset();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (failed) {
        return;
      }
      StreamErrorException error = null;
      try {
        parser.feed(buf);
      } catch (StreamErrorException e) {
        error = e;
        failed = true;
      }
      // Events parsed before a violation are still delivered, in order.
      List<StreamEvent> ready = new ArrayList<>(pending);
      pending.clear();
      for (StreamEvent event : ready) {
        ctx.fireChannelRead(event);
      }
      if (error != null) {
        ctx.fireExceptionCaught(error);
      }
    } finally {
      buf.release();
    }
  }
}

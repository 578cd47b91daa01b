package dev.tern.edge.codec;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.xml.StreamErrorException;
import dev.tern.xmpp.xml.StreamEvent;
import dev.tern.xmpp.xml.XmlLimits;
import dev.tern.xmpp.xml.XmlStreamParser;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;

/**
 * Decodes an XMPP stream over TCP or TLS (RFC 6120 §4) into {@link StreamEvent}s: an
 * {@link StreamEvent.Open} for the stream header, an {@link StreamEvent.Element} per first-level
 * child, a {@link StreamEvent.Close} for {@code </stream:stream>}.
 *
 * <p>Built on Aalto's non-blocking parser, since the stream is one XML document that stays open
 * for the life of the connection. Each call decodes up to and including one event, so that an
 * event's handler may {@link #reset()} the stream and the very next byte goes to the new one.
 * Input is copied through a small array shared by the thread; no {@link ByteBuf} is kept, and
 * between stanzas the parser drops its state ({@link XmlStreamParser#releaseIfIdle}).
 *
 * <p>On the first problem it fires a {@link StreamErrorException} through
 * {@code exceptionCaught}, once, and discards everything that follows: closing the stream with
 * that error is the session's job (RFC 6120 §4.9.1.1).
 */
public final class XmppStreamDecoder extends ByteToMessageDecoder {

  private final XmlLimits limits;
  /** The copy buffer, one per event loop thread rather than one per connection (4 KiB each). */
  private static final FastThreadLocal<byte[]> CHUNK = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[XmlStreamParser.SEGMENT_BYTES];
    }
  };

  private XmlStreamParser parser;
  private boolean failed;

  public XmppStreamDecoder(XmlLimits limits) {
    this.limits = requireNonNull(limits, "limits");
    this.parser = new XmlStreamParser(limits, XmlStreamParser.Mode.STREAM);
  }

  /**
   * Makes the next byte the start of a new stream, as after STARTTLS (RFC 6120 §5.4.3.3) and
   * after SASL success (§6.4.6); clears an earlier failure too. Call it from the channel's event
   * loop, typically while handling the event that ends the old stream.
   */
  public void reset() {
    parser = new XmlStreamParser(limits, XmlStreamParser.Mode.STREAM);
    failed = false;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      // stop after one event: ByteToMessageDecoder passes it on before calling again
      byte[] chunk = CHUNK.get(); // the parser keeps no reference once feed() returns
      while (in.isReadable() && out.isEmpty()) {
        int length = Math.min(chunk.length, in.readableBytes());
        in.getBytes(in.readerIndex(), chunk, 0, length);
        in.skipBytes(parser.feed(chunk, 0, length, out::add));
      }
    } catch (StreamErrorException e) {
      // the parser stops after each event, so nothing decoded in this call precedes the error
      failed = true;
      in.skipBytes(in.readableBytes());
      ctx.fireExceptionCaught(e);
    }
  }

  /** Once everything read so far is parsed, an idle stream gives its parser state back. */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (!failed) {
      parser.releaseIfIdle();
    }
    super.channelReadComplete(ctx);
  }
}

package dev.tern.edge.xml;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes XMPP over WebSocket (RFC 7395 §3.3): every text message is one complete element with
 * its own namespace declarations; {@code <open/>} and {@code <close/>} of
 * {@code urn:ietf:params:xml:ns:xmpp-framing} open and close the stream.
 */
public final class XmppFrameDecoder extends MessageToMessageDecoder<String> {

  public static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";

  private final XmlLimits limits;
  private boolean failed;

  public XmppFrameDecoder(XmlLimits limits) {
    super(String.class);
    this.limits = requireNonNull(limits, "limits");
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, String frame, List<Object> out) {
    if (failed) {
      return;
    }
    List<StreamEvent> events = new ArrayList<>();
    AsyncXmlParser parser = new AsyncXmlParser(limits, false, events::add);
    ByteBuf bytes = ByteBufUtil.writeUtf8(ctx.alloc(), frame);
    try {
      parser.feed(bytes);
      parser.endOfInput();
      if (events.size() != 1 || !(events.get(0) instanceof StreamEvent.Element e)) {
        throw new StreamErrorException(StreamErrorCondition.NOT_WELL_FORMED,
            "a WebSocket message carries exactly one element");
      }
      XmlElement element = e.element();
      if (element.namespace().equals(FRAMING) && element.name().equals("open")) {
        out.add(new StreamEvent.Open(element.attributes(), "jabber:client"));
      } else if (element.namespace().equals(FRAMING) && element.name().equals("close")) {
        out.add(new StreamEvent.Close());
      } else if (element.namespace().isEmpty()) {
        throw new StreamErrorException(StreamErrorCondition.INVALID_NAMESPACE,
            "each message declares its namespace (RFC 7395 §3.3.3)");
      } else {
        out.add(e);
      }
    } catch (StreamErrorException error) {
      failed = true;
      ctx.fireExceptionCaught(error);
    } finally {
      bytes.release();
    }
  }
}

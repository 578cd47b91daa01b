package dev.tern.edge.codec;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.StreamErrorException;
import dev.tern.xmpp.xml.StreamEvent;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlLimits;
import dev.tern.xmpp.xml.XmlNamespaces;
import dev.tern.xmpp.xml.XmlStreamParser;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes XMPP over WebSocket (RFC 7395 §3.3), where every text message is one complete XML
 * element: {@code <open xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>} becomes a
 * {@link StreamEvent.Open} with the default namespace {@code jabber:client},
 * {@code <close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>} a {@link StreamEvent.Close}, and
 * anything else a {@link StreamEvent.Element}.
 *
 * <p>The same parser, limits and restrictions on XML apply as on TCP. Since a frame is parsed on
 * its own, every element must declare its namespace itself (RFC 7395 §3.3.3); one that is in no
 * namespace is refused with {@code invalid-namespace}. Errors are fired once through
 * {@code exceptionCaught}, after which all frames are discarded.
 */
public final class XmppFrameDecoder extends MessageToMessageDecoder<String> {

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
    try {
      out.add(decodeFrame(frame));
    } catch (StreamErrorException e) {
      failed = true;
      ctx.fireExceptionCaught(e);
    }
  }

  private StreamEvent decodeFrame(String frame) throws StreamErrorException {
    byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > limits.maxStanzaBytes()) {
      throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
          "a frame of more than " + limits.maxStanzaBytes() + " bytes");
    }
    XmlStreamParser parser = new XmlStreamParser(limits, XmlStreamParser.Mode.DOCUMENT);
    List<StreamEvent> events = new ArrayList<>(1);
    int offset = 0;
    while (offset < bytes.length) {
      offset += parser.feed(bytes, offset, bytes.length - offset, events::add);
    }
    parser.endOfInput(events::add);
    if (events.size() != 1 || !(events.get(0) instanceof StreamEvent.Element decoded)) {
      throw new StreamErrorException(
          StreamErrorCondition.NOT_WELL_FORMED, "a frame must hold exactly one element");
    }
    XmlElement element = decoded.element();
    if (element.namespace().equals(XmlNamespaces.FRAMING)) {
      if (element.name().equals("open")) {
        return new StreamEvent.Open(element.attributes(), XmlNamespaces.CLIENT);
      }
      if (element.name().equals("close")) {
        return new StreamEvent.Close();
      }
    }
    if (element.namespace().isEmpty()) {
      throw new StreamErrorException(StreamErrorCondition.INVALID_NAMESPACE,
          "<" + element.name() + "> declares no namespace; each frame must (RFC 7395 §3.3.3)");
    }
    return decoded;
  }
}

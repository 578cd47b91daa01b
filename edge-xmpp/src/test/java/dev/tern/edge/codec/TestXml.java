package dev.tern.edge.codec;

import dev.tern.xmpp.xml.StreamEvent;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlLimits;
import dev.tern.xmpp.xml.XmlNode;
import dev.tern.xmpp.xml.XmlText;
import dev.tern.xmpp.xml.XmlWriter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/** Parses test XML with the edge's own parser, as one WebSocket message (RFC 7395). */
public final class TestXml {

  private TestXml() {}

  /** The element {@code xml} holds; it must declare its namespace. */
  public static XmlElement parse(String xml) {
    List<Object> out = new ArrayList<>();
    List<Throwable> errors = new ArrayList<>();
    EmbeddedChannel ch = new EmbeddedChannel(new XmppFrameDecoder(XmlLimits.DEFAULTS),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            out.add(msg);
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
          }
        });
    ch.writeInbound(xml);
    ch.finishAndReleaseAll();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("not parsable: " + xml, errors.get(0));
    }
    if (out.size() != 1 || !(out.get(0) instanceof StreamEvent.Element e)) {
      throw new IllegalArgumentException("not one element: " + xml);
    }
    return e.element();
  }

  /**
   * As {@link #parse}, without the whitespace-only text between elements that pretty-printed
   * examples (such as the XEPs') carry.
   */
  public static XmlElement parseCompact(String xml) {
    return compact(parse(xml));
  }

  private static XmlElement compact(XmlElement e) {
    XmlElement.Builder b = XmlElement.builder(e.name(), e.namespace());
    e.attributes().forEach(b::attribute);
    boolean hasElements = !e.elements().isEmpty();
    for (XmlNode n : e.children()) {
      if (n instanceof XmlElement child) {
        b.child(compact(child));
      } else if (n instanceof XmlText t && !(hasElements && t.text().isBlank())) {
        b.text(t.text());
      }
    }
    return b.build();
  }

  /** {@code element} as XML, namespace declared. */
  public static String write(XmlElement element) {
    return XmlWriter.toXml(element, "");
  }
}

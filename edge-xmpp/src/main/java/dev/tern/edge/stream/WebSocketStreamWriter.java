package dev.tern.edge.stream;

import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlWriter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/** XMPP over WebSocket (RFC 7395 §3.3): each element is one text message with its own xmlns. */
public final class WebSocketStreamWriter implements StreamWriter {

  /** RFC 7395 §3.3.1. */
  public static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";

  private final Channel channel;
  private boolean closed;

  public WebSocketStreamWriter(Channel channel) {
    this.channel = channel;
  }

  @Override
  public void open(String id, String from, String lang) {
    write(XmlWriter.toXml(XmlElement.builder("open", FRAMING)
        .attribute("from", from)
        .attribute("id", id)
        .attribute("version", "1.0")
        .attribute("xml:lang", lang)
        .build(), ""));
  }

  @Override
  public ChannelFuture send(XmlElement element) {
    // No inherited namespace: every message declares its own (RFC 7395 §3.3.3).
    return write(XmlWriter.toXml(element, ""));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    write(XmlWriter.toXml(XmlElement.builder("close", FRAMING).build(), ""))
        .addListener(f -> channel.writeAndFlush(new CloseWebSocketFrame(
            WebSocketCloseStatus.NORMAL_CLOSURE)).addListener(ChannelFutureListener.CLOSE));
  }

  @Override
  public boolean framed() {
    return true;
  }

  private ChannelFuture write(String xml) {
    return channel.writeAndFlush(new TextWebSocketFrame(xml));
  }
}

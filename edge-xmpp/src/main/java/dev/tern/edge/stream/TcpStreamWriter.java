package dev.tern.edge.stream;

import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlWriter;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.util.LinkedHashMap;
import java.util.Map;

/** A stream over TCP or TLS: one XML document, {@code <stream:stream>} to {@code </stream:stream>}. */
public final class TcpStreamWriter implements StreamWriter {

  private final Channel channel;
  private boolean closed;

  public TcpStreamWriter(Channel channel) {
    this.channel = channel;
  }

  @Override
  public void open(String id, String from, String lang) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("from", from);
    attributes.put("id", id);
    attributes.put("version", "1.0");
    attributes.put("xml:lang", lang);
    write(XmlWriter.streamHeader(attributes, CLIENT_NAMESPACE));
  }

  @Override
  public ChannelFuture send(XmlElement element) {
    return write(XmlWriter.toXml(element, CLIENT_NAMESPACE));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    write(XmlWriter.streamClose()).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public boolean framed() {
    return false;
  }

  private ChannelFuture write(String xml) {
    return channel.writeAndFlush(ByteBufUtil.writeUtf8(channel.alloc(), xml));
  }
}

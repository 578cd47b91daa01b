package dev.tern.edge.stream;

import dev.tern.xmpp.xml.XmlElement;
import io.netty.channel.ChannelFuture;

/**
 * The outbound side of one client stream. The session writes elements; the transport decides how
 * they look on the wire: a {@code <stream:stream>} document over TCP and TLS (RFC 6120 §4), or one
 * WebSocket text message per element with {@code <open/>} and {@code <close/>} (RFC 7395 §3).
 */
public interface StreamWriter {

  /** The namespace stanzas inherit from the stream, written without their own xmlns. */
  String CLIENT_NAMESPACE = "jabber:client";

  /** Sends the response stream header (RFC 6120 §4.7) or the framing {@code <open/>}. */
  void open(String id, String from, String lang);

  /** Sends one top-level element: a stanza, features, a SASL or TLS negotiation element. */
  ChannelFuture send(XmlElement element);

  /** Closes the stream (RFC 6120 §4.4), then the connection once the closing tag is written. */
  void close();

  /** True for RFC 7395 framing: the client opens each new stream with {@code <open/>}. */
  boolean framed();
}

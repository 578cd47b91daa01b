package dev.tern.xmpp.xml;

/** Namespace names the codec itself needs (RFC 6120 §4.8, §4.9.3, §8.3.2; RFC 7395 §3.3.3). */
public final class XmlNamespaces {

  /** The stream namespace, qualifying {@code <stream:stream/>}, features and stream errors. */
  public static final String STREAMS = "http://etherx.jabber.org/streams";
  /** The content namespace of client-to-server streams. */
  public static final String CLIENT = "jabber:client";
  /** The content namespace of server-to-server streams. */
  public static final String SERVER = "jabber:server";
  /** Defined conditions of stream errors. */
  public static final String STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
  /** Defined conditions of stanza errors. */
  public static final String STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas";
  /** The {@code <open/>} and {@code <close/>} elements of XMPP over WebSocket. */
  public static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
  /** The namespace bound to the {@code xml} prefix, as in {@code xml:lang}. */
  public static final String XML = "http://www.w3.org/XML/1998/namespace";

  private XmlNamespaces() {}
}

package dev.tern.edge.session;

/** Namespaces of RFC 6120 negotiation and the stream features the session offers. */
final class Namespaces {

  static final String STREAMS = "http://etherx.jabber.org/streams";
  static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
  static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
  static final String BIND = "urn:ietf:params:xml:ns:xmpp-bind";
  /** RFC 3921 session establishment, advertised as optional (RFC 6121 Appendix E). */
  static final String SESSION = "urn:ietf:params:xml:ns:xmpp-session";
  static final String CSI = "urn:xmpp:csi:0";
  static final String SASL_CB = "urn:xmpp:sasl-cb:0";
  static final String CLIENT = "jabber:client";
  /** XEP-0478 Stream Limits Advertisement. */
  static final String STREAM_LIMITS = "urn:xmpp:stream-limits:0";

  private Namespaces() {}
}

package dev.tern.edge.session;

import dev.tern.edge.EdgeConfig;
import dev.tern.edge.register.RegisterHandler;
import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.StreamErrorException;
import dev.tern.xmpp.xml.StreamEvent;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlNamespaces;
import java.util.List;
import java.util.Optional;

/**
 * What a session answers a stream header with: a stream error for a header it refuses, or the
 * {@code <stream:features/>} it offers in its state (RFC 6120 §4.3.2).
 */
final class StreamFeatures {

  private static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
  /** RFC 3921 session establishment, advertised as optional (RFC 6121 Appendix E). */
  private static final String SESSION = "urn:ietf:params:xml:ns:xmpp-session";
  /** XEP-0478 Stream Limits Advertisement. */
  private static final String STREAM_LIMITS = "urn:xmpp:stream-limits:0";

  private StreamFeatures() {}

  /**
   * Why a stream header is refused (RFC 6120 §4.9.3): a namespace other than jabber:client
   * (TCP), a 'to' this edge does not serve, no version or one below 1.0 (§4.7.5).
   */
  static Optional<StreamErrorException> refusal(StreamEvent.Open open, boolean framed,
      String domain) {
    String to = open.attributes().getOrDefault("to", "");
    String version = open.attributes().getOrDefault("version", "");
    if (!framed && !open.defaultNamespace().equals(XmlNamespaces.CLIENT)) {
      return refuse(StreamErrorCondition.INVALID_NAMESPACE, "this server speaks jabber:client");
    }
    if (!to.equalsIgnoreCase(domain)) {
      return refuse(StreamErrorCondition.HOST_UNKNOWN,
          to.isEmpty() ? "the stream header needs a 'to'" : "this server does not serve " + to);
    }
    if (!version.startsWith("1.")) {
      return refuse(StreamErrorCondition.UNSUPPORTED_VERSION, "XMPP 1.0 is required");
    }
    return Optional.empty();
  }

  private static Optional<StreamErrorException> refuse(StreamErrorCondition c, String text) {
    return Optional.of(new StreamErrorException(c, text));
  }

  /**
   * Only STARTTLS on a stream not yet secure (RFC 6120 §5.3.1: TLS is mandatory before anything
   * else); else registration or binding as the state allows, {@code offered} by authentication
   * and the modules, and the stanza size limit (XEP-0478), so clients never trip over it.
   */
  static XmlElement of(Session session, EdgeConfig config, List<XmlElement> offered) {
    XmlElement.Builder f = XmlElement.builder("features", XmlNamespaces.STREAMS);
    if (!session.secure()) {
      return f.child(XmlElement.builder("starttls", TLS)
          .child(XmlElement.builder("required", TLS).build()).build()).build();
    }
    if (session.state() == SessionState.NEGOTIATING && config.registration()) {
      f.child(XmlElement.builder("register", RegisterHandler.FEATURE).build());
    } else if (session.state() == SessionState.AUTHENTICATED) {
      f.child(XmlElement.builder("bind", Binding.NAMESPACE).build());
      f.child(XmlElement.builder("session", SESSION)
          .child(XmlElement.builder("optional", SESSION).build()).build());
    }
    offered.forEach(f::child);
    return f.child(XmlElement.builder("limits", STREAM_LIMITS)
        .child(XmlElement.builder("max-bytes", STREAM_LIMITS)
            .text(Integer.toString(config.limits().maxStanzaBytes())).build())
        .build()).build();
  }
}

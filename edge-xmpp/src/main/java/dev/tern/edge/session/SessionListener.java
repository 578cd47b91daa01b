package dev.tern.edge.session;

import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.StreamErrorCondition;
import java.time.Duration;

/**
 * What happens on client sessions, for observers such as metrics. Every method has a no-op
 * default, so an observer implements only what it needs.
 */
public interface SessionListener {

  /** The transport a session runs on, as the {@code transport} label of metrics. */
  enum Transport {
    TCP("tcp"), DIRECT_TLS("direct-tls"), WEBSOCKET("websocket");

    private final String label;

    Transport(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  default void connected(Transport transport) {}

  default void disconnected(Transport transport) {}

  default void tlsHandshake(Transport transport, Duration took, boolean ok) {}

  /** {@code kind}: message, presence, iq or nonza. */
  default void stanzaIn(Transport transport, String kind) {}

  default void stanzaOut(Transport transport, String kind) {}

  /** {@code outcome}: success or the SASL failure condition. */
  default void authentication(Transport transport, String mechanism, String outcome) {}

  default void streamError(Transport transport, StreamErrorCondition condition) {}

  /**
   * A session bound {@code fullJid}: by resource binding, Bind 2 or a resumed stream.
   * {@code session} identifies it (by identity) in {@link #unbound}.
   */
  default void bound(Jid fullJid, Object session) {}

  /**
   * The session that bound {@code fullJid} ended. Not called for a session whose resource a newer
   * session on this edge took over (RFC 6120 §7.7.2.2): that one was bound in its place.
   */
  default void unbound(Jid fullJid, Object session) {}

  /**
   * A stored message was not written because the client's socket is past its high-water mark:
   * it stays in the unread queue and is replayed when the socket drains.
   */
  default void deliveryLeftToQueue(Transport transport) {}

  SessionListener NONE = new SessionListener() {};

  /** Tells {@code first}, then {@code second}, of everything. */
  static SessionListener both(SessionListener first, SessionListener second) {
    java.util.Objects.requireNonNull(first, "first");
    java.util.Objects.requireNonNull(second, "second");
    return new SessionListener() {
      @Override
      public void connected(Transport transport) {
        first.connected(transport);
        second.connected(transport);
      }

      @Override
      public void disconnected(Transport transport) {
        first.disconnected(transport);
        second.disconnected(transport);
      }

      @Override
      public void tlsHandshake(Transport transport, Duration took, boolean ok) {
        first.tlsHandshake(transport, took, ok);
        second.tlsHandshake(transport, took, ok);
      }

      @Override
      public void stanzaIn(Transport transport, String kind) {
        first.stanzaIn(transport, kind);
        second.stanzaIn(transport, kind);
      }

      @Override
      public void deliveryLeftToQueue(Transport transport) {
        first.deliveryLeftToQueue(transport);
        second.deliveryLeftToQueue(transport);
      }

      @Override
      public void stanzaOut(Transport transport, String kind) {
        first.stanzaOut(transport, kind);
        second.stanzaOut(transport, kind);
      }

      @Override
      public void authentication(Transport transport, String mechanism, String outcome) {
        first.authentication(transport, mechanism, outcome);
        second.authentication(transport, mechanism, outcome);
      }

      @Override
      public void streamError(Transport transport, StreamErrorCondition condition) {
        first.streamError(transport, condition);
        second.streamError(transport, condition);
      }

      @Override
      public void bound(Jid fullJid, Object session) {
        first.bound(fullJid, session);
        second.bound(fullJid, session);
      }

      @Override
      public void unbound(Jid fullJid, Object session) {
        first.unbound(fullJid, session);
        second.unbound(fullJid, session);
      }
    };
  }
}

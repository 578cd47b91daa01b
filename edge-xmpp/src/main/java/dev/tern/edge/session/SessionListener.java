package dev.tern.edge.session;

import dev.tern.edge.xml.StreamErrorCondition;
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

  SessionListener NONE = new SessionListener() {};
}

package dev.tern.edge.xml;

import java.util.Map;

/** What a stream decoder produces: the stream's opening, each top-level element, the close. */
public sealed interface StreamEvent permits StreamEvent.Open, StreamEvent.Element, StreamEvent.Close {

  /** {@code <stream:stream>} (RFC 6120 §4.7) or the framing {@code <open/>} (RFC 7395 §3.3.1). */
  record Open(Map<String, String> attributes, String defaultNamespace) implements StreamEvent {
    public Open {
      attributes = Map.copyOf(attributes);
    }
  }

  /** A complete top-level child of the stream: a stanza or a negotiation element. */
  record Element(XmlElement element, int bytes) implements StreamEvent {}

  /** {@code </stream:stream>} or the framing {@code <close/>}. */
  record Close() implements StreamEvent {}
}

package dev.tern.xmpp.xml;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** What a peer's XML stream says, one event per stream header, top-level element or close. */
public sealed interface StreamEvent
    permits StreamEvent.Open, StreamEvent.Element, StreamEvent.Close {

  /**
   * The stream header (RFC 6120 §4.7), or RFC 7395's {@code <open/>}.
   *
   * @param attributes the header's attributes, keyed like {@link XmlElement#attributes()}:
   *     {@code to}, {@code from}, {@code version}, {@code xml:lang}, {@code id}
   * @param defaultNamespace the content namespace the header declares, {@code ""} if none
   */
  record Open(Map<String, String> attributes, String defaultNamespace) implements StreamEvent {

    public Open {
      attributes = Map.copyOf(requireNonNull(attributes, "attributes"));
      requireNonNull(defaultNamespace, "defaultNamespace");
    }
  }

  /**
   * A complete first-level child of the stream: a stanza or a nonza.
   *
   * @param bytes its size on the wire, from {@code <} to the final {@code >}
   */
  record Element(XmlElement element, int bytes) implements StreamEvent {

    public Element {
      requireNonNull(element, "element");
      if (bytes < 0) {
        throw new IllegalArgumentException("bytes must not be negative: " + bytes);
      }
    }
  }

  /** The end of the stream (RFC 6120 §4.4), or RFC 7395's {@code <close/>}. */
  record Close() implements StreamEvent {}
}

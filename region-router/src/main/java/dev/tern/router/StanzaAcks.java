package dev.tern.router;

import dev.tern.storage.receipts.ReceiptState;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the router reads in a stored 1:1 message for receipts: the stanza's own {@code id}
 * attribute (what a receipt for it will name) and the receipts and markers it carries, each
 * naming an earlier message of the other party:
 * {@code <received xmlns='urn:xmpp:receipts' id='X'/>} (XEP-0184 §4) and
 * {@code <received|displayed|acknowledged xmlns='urn:xmpp:chat-markers:0' id='X'/>} (XEP-0333 §3).
 * The stanzas were written by an edge's serializer; {@link Xml#parse} reads them back, with no
 * DTD and no entities.
 */
final class StanzaAcks {

  static final String RECEIPTS = "urn:xmpp:receipts";
  static final String MARKERS = "urn:xmpp:chat-markers:0";

  /** One receipt or marker: the state it reports and the id of the message it names. */
  record Ack(ReceiptState state, String id) {}

  /** What a message says: its {@code id} attribute, and the receipts among its children. */
  record Read(Optional<String> clientId, List<Ack> acks) {}

  private StanzaAcks() {}

  /** Reads {@code xml}; a stanza that does not parse reads as no id and no receipt. */
  static Read read(String xml) {
    XmlElement stanza;
    try {
      stanza = Xml.parse(xml);
    } catch (IllegalArgumentException e) {
      return new Read(Optional.empty(), List.of());
    }
    Optional<String> clientId = stanza.attribute("id").filter(s -> !s.isEmpty());
    List<Ack> acks = new ArrayList<>();
    for (XmlElement child : stanza.elements()) {
      ack(child).ifPresent(acks::add);
    }
    return new Read(clientId, List.copyOf(acks));
  }

  private static Optional<Ack> ack(XmlElement child) {
    String id = child.attribute("id").orElse("");
    String namespace = child.namespace();
    String name = child.name();
    if (id.isEmpty()) {
      return Optional.empty();
    }
    if (RECEIPTS.equals(namespace) && name.equals("received")) {
      return Optional.of(new Ack(ReceiptState.DELIVERED, id));
    }
    if (MARKERS.equals(namespace)) {
      return switch (name) {
        case "received" -> Optional.of(new Ack(ReceiptState.DELIVERED, id));
        case "displayed" -> Optional.of(new Ack(ReceiptState.DISPLAYED, id));
        case "acknowledged" -> Optional.of(new Ack(ReceiptState.ACKNOWLEDGED, id));
        default -> Optional.empty();
      };
    }
    return Optional.empty();
  }
}

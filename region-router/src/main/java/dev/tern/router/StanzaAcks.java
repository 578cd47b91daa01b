package dev.tern.router;

import dev.tern.storage.receipts.ReceiptState;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What the router reads in a stored 1:1 message for receipts: the stanza's own {@code id}
 * attribute (what a receipt for it will name) and the receipts and markers it carries, each
 * naming an earlier message of the other party:
 * {@code <received xmlns='urn:xmpp:receipts' id='X'/>} (XEP-0184 §4) and
 * {@code <received|displayed|acknowledged xmlns='urn:xmpp:chat-markers:0' id='X'/>} (XEP-0333 §3).
 * The stanzas were written by an edge's serializer from parsed XML; still, no DTD and no
 * entities.
 */
final class StanzaAcks {

  static final String RECEIPTS = "urn:xmpp:receipts";
  static final String MARKERS = "urn:xmpp:chat-markers:0";

  /** One receipt or marker: the state it reports and the id of the message it names. */
  record Ack(ReceiptState state, String id) {}

  /** What a message says: its {@code id} attribute, and the receipts among its children. */
  record Read(Optional<String> clientId, List<Ack> acks) {}

  private static final XMLInputFactory FACTORY = factory();

  private StanzaAcks() {}

  private static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
    return f;
  }

  /** Reads {@code xml}; a stanza that does not parse reads as no id and no receipt. */
  static Read read(String xml) {
    // Most messages carry no receipt: then only the root element's attributes are read.
    boolean mayAck = xml.contains(RECEIPTS) || xml.contains(MARKERS);
    Optional<String> clientId = Optional.empty();
    List<Ack> acks = new ArrayList<>();
    XMLStreamReader r = null;
    try {
      r = FACTORY.createXMLStreamReader(new StringReader(xml));
      int depth = 0;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.END_ELEMENT) {
          depth--;
          continue;
        }
        if (event != XMLStreamConstants.START_ELEMENT) {
          continue;
        }
        depth++;
        if (depth == 1) {
          clientId = Optional.ofNullable(r.getAttributeValue(null, "id")).filter(s -> !s.isEmpty());
          if (!mayAck) {
            break;
          }
        } else if (depth == 2) {
          ack(r.getNamespaceURI(), r.getLocalName(), r.getAttributeValue(null, "id"))
              .ifPresent(acks::add);
        }
      }
    } catch (XMLStreamException e) {
      return new Read(Optional.empty(), List.of());
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing held
        }
      }
    }
    return new Read(clientId, List.copyOf(acks));
  }

  private static Optional<Ack> ack(String namespace, String name, String id) {
    if (id == null || id.isEmpty()) {
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

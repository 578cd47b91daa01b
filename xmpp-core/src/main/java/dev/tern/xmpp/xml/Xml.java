package dev.tern.xmpp.xml;

import static java.util.Objects.requireNonNull;

import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jspecify.annotations.Nullable;

/**
 * One element as a self-contained XML string that declares its own namespace, and back: how
 * stanzas are kept (the resumption store, the message store) and carried between processes.
 * The string is what a WebSocket message carries (RFC 7395 §3.3.3), so any edge can send it again
 * over TCP or WebSocket.
 */
public final class Xml {

  private static final XMLInputFactory FACTORY = factory();

  private Xml() {}

  private static XMLInputFactory factory() {
    XMLInputFactory f = new InputFactoryImpl();
    // No DTD and no entities, whoever wrote the input (RFC 6120 §11.1).
    f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
    f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
    return f;
  }

  /** The stanza with its own {@code xmlns}, as a WebSocket message carries it (RFC 7395 §3.3.3). */
  public static String serialize(XmlElement stanza) {
    return XmlWriter.toXml(requireNonNull(stanza, "stanza"), "");
  }

  /**
   * Reads back what {@link #serialize} wrote.
   *
   * @throws IllegalArgumentException if {@code xml} is not one well-formed element
   */
  public static XmlElement parse(String xml) {
    requireNonNull(xml, "xml");
    XMLStreamReader reader = null;
    try {
      reader = FACTORY.createXMLStreamReader(new StringReader(xml));
      Deque<XmlElement.Builder> stack = new ArrayDeque<>();
      XmlElement root = null;
      while (reader.hasNext()) {
        switch (reader.next()) {
          case XMLStreamConstants.START_ELEMENT -> stack.push(start(reader));
          case XMLStreamConstants.END_ELEMENT -> {
            XmlElement done = stack.pop().build();
            if (stack.isEmpty()) {
              root = done;
            } else {
              stack.peek().child(done);
            }
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA,
              XMLStreamConstants.SPACE -> {
            if (!stack.isEmpty()) {
              stack.peek().text(reader.getText());
            }
          }
          default -> {
            // the document's start and end; nothing else occurs in what XmlWriter writes
          }
        }
      }
      if (root == null) {
        throw new IllegalArgumentException("no element in a stored stanza");
      }
      return root;
    } catch (XMLStreamException e) {
      throw new IllegalArgumentException("not a stored stanza: " + e.getMessage(), e);
    } finally {
      close(reader);
    }
  }

  /** Bytes of {@code s} in UTF-8, without encoding it. */
  public static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n += 1; // an unpaired surrogate goes out as '?'
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static XmlElement.Builder start(XMLStreamReader reader) {
    String ns = reader.getNamespaceURI() == null ? "" : reader.getNamespaceURI();
    XmlElement.Builder b = XmlElement.builder(reader.getLocalName(), ns);
    for (int i = 0; i < reader.getAttributeCount(); i++) {
      String attributeNs = reader.getAttributeNamespace(i);
      String local = reader.getAttributeLocalName(i);
      String value = reader.getAttributeValue(i);
      // the keys XmlElement uses, as the stream decoder makes them
      if (attributeNs == null || attributeNs.isEmpty()) {
        b.attribute(local, value);
      } else if (attributeNs.equals(XMLConstants.XML_NS_URI)) {
        b.attribute("xml:" + local, value);
      } else {
        b.attribute("{" + attributeNs + "}" + local, value);
      }
    }
    return b;
  }

  private static void close(@Nullable XMLStreamReader reader) {
    if (reader != null) {
      try {
        reader.close();
      } catch (XMLStreamException e) {
        // nothing was held open: the input is a string
      }
    }
  }
}

package dev.tern.edge.xml;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

/**
 * The parsing core both decoders share: Aalto's non-blocking parser turned into
 * {@link StreamEvent}s, with RFC 6120 §11's restrictions and the {@link XmlLimits} enforced while
 * the bytes arrive (a stanza over the limit is refused before it has all been read).
 *
 * <p>Depth 0 is the document root: the {@code <stream:stream>} of a TCP stream, or each frame's
 * own element over WebSocket ({@code rootIsContainer} false).
 */
final class AsyncXmlParser {

  private static final AsyncXMLInputFactory FACTORY = factory();
  private static final int CHUNK = 4096;
  private static final String XML_NS = XMLConstants.XML_NS_URI;

  private final XmlLimits limits;
  private final boolean rootIsContainer;
  private final Consumer<StreamEvent> events;
  private final byte[] chunk = new byte[CHUNK];
  private AsyncXMLStreamReader<AsyncByteArrayFeeder> reader;
  private final Deque<XmlElement.Builder> stack = new ArrayDeque<>();
  private long fed;
  private long elementStart = -1;
  private boolean failed;

  /**
   * @param rootIsContainer true for a TCP stream (the root stays open, its children are events);
   *     false for a WebSocket frame (the root element itself is the event)
   */
  AsyncXmlParser(XmlLimits limits, boolean rootIsContainer, Consumer<StreamEvent> events) {
    this.limits = limits;
    this.rootIsContainer = rootIsContainer;
    this.events = events;
    this.reader = FACTORY.createAsyncForByteArray();
  }

  private static AsyncXMLInputFactory factory() {
    AsyncXMLInputFactory f = new InputFactoryImpl();
    // RFC 6120 §11.1: no DTD, and never resolve or expand any entity beyond the predefined five.
    f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
    f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
    return f;
  }

  boolean failed() {
    return failed;
  }

  /** Parses the readable bytes of {@code input}; throws at the first violation. */
  void feed(io.netty.buffer.ByteBuf input) throws StreamErrorException {
    while (input.isReadable() && !failed) {
      int n = Math.min(CHUNK, input.readableBytes());
      if (elementStart >= 0 && fed + n - elementStart > limits.maxStanzaBytes()) {
        // Refuse before feeding: the oversized element is never held in memory.
        fail(StreamErrorCondition.POLICY_VIOLATION,
            "an element larger than " + limits.maxStanzaBytes() + " bytes");
      }
      input.readBytes(chunk, 0, n);
      if (!rootOpened && prolog.length() < PROLOG_MAX) {
        prolog.append(new String(chunk, 0, Math.min(n, PROLOG_MAX - prolog.length()),
            java.nio.charset.StandardCharsets.ISO_8859_1));
      }
      try {
        reader.getInputFeeder().feedInput(chunk, 0, n);
        fed += n;
        drain();
      } catch (XMLStreamException e) {
        fail(classifyInContext(e), e.getMessage() == null ? "" : firstLine(e.getMessage()));
      }
    }
  }

  /**
   * Aalto reports some DTD constructs (an internal subset) as plain syntax errors; before the
   * root element, any error where the prolog holds a DOCTYPE is the DOCTYPE's fault.
   */
  private StreamErrorCondition classifyInContext(XMLStreamException e) {
    if (!rootOpened && prolog.indexOf("<!DOCTYPE") >= 0) {
      return StreamErrorCondition.RESTRICTED_XML;
    }
    return classify(e);
  }

  /** The end of a WebSocket frame: the document must be complete now. */
  void endOfInput() throws StreamErrorException {
    reader.getInputFeeder().endOfInput();
    try {
      drain();
    } catch (XMLStreamException e) {
      fail(classify(e), e.getMessage() == null ? "" : firstLine(e.getMessage()));
    }
  }

  /** Starts over with a new document (a stream restart, RFC 6120 §4.3.3). */
  void reset() {
    reader = FACTORY.createAsyncForByteArray();
    stack.clear();
    fed = 0;
    elementStart = -1;
    failed = false;
    rootOpened = false;
    prolog.setLength(0);
  }

  private void drain() throws XMLStreamException, StreamErrorException {
    while (!failed) {
      int event = reader.next();
      switch (event) {
        case AsyncXMLStreamReader.EVENT_INCOMPLETE, XMLStreamConstants.END_DOCUMENT -> {
          return;
        }
        case XMLStreamConstants.START_DOCUMENT -> {
          String encoding = reader.getCharacterEncodingScheme();
          if (encoding != null && !encoding.equalsIgnoreCase("UTF-8")) {
            fail(StreamErrorCondition.UNSUPPORTED_ENCODING, "XMPP is UTF-8 only");
          }
        }
        case XMLStreamConstants.START_ELEMENT -> start();
        case XMLStreamConstants.END_ELEMENT -> end();
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> text();
        case XMLStreamConstants.DTD -> fail(StreamErrorCondition.RESTRICTED_XML, "no DTD in XMPP");
        case XMLStreamConstants.COMMENT -> fail(StreamErrorCondition.RESTRICTED_XML, "no comments in XMPP");
        case XMLStreamConstants.PROCESSING_INSTRUCTION ->
            fail(StreamErrorCondition.RESTRICTED_XML, "no processing instructions in XMPP");
        case XMLStreamConstants.ENTITY_REFERENCE ->
            fail(StreamErrorCondition.RESTRICTED_XML, "no entities but the five predefined");
        default -> fail(StreamErrorCondition.RESTRICTED_XML, "XML construct " + event + " is not allowed");
      }
    }
  }

  private int depth() {
    return stack.size();
  }

  private void start() throws StreamErrorException {
    String ns = reader.getNamespaceURI() == null ? "" : reader.getNamespaceURI();
    String name = reader.getLocalName();
    if (rootIsContainer && depth() == 0 && elementStart < 0 && !rootOpened) {
      rootOpened = true;
      if (!name.equals("stream") || !ns.equals(StreamErrorCondition.STREAMS)) {
        fail(StreamErrorCondition.INVALID_NAMESPACE,
            "the stream must be <stream> in " + StreamErrorCondition.STREAMS);
      }
      String defaultNs = "";
      for (int i = 0; i < reader.getNamespaceCount(); i++) {
        String prefix = reader.getNamespacePrefix(i);
        if (prefix == null || prefix.isEmpty()) {
          defaultNs = reader.getNamespaceURI(i);
        }
      }
      events.accept(new StreamEvent.Open(attributes(), defaultNs == null ? "" : defaultNs));
      return;
    }
    int elementDepth = depth() + 1; // the stanza itself is depth 1
    if (elementDepth > limits.maxDepth()) {
      fail(StreamErrorCondition.POLICY_VIOLATION, "nested deeper than " + limits.maxDepth());
    }
    if (depth() == 0) {
      elementStart = reader.getLocationInfo().getStartingByteOffset();
    }
    XmlElement.Builder b = XmlElement.builder(name, ns);
    attributes().forEach(b::attribute);
    stack.push(b);
  }

  private boolean rootOpened;
  /** The first bytes of the document, to recognise a DOCTYPE that Aalto fails on. */
  private final StringBuilder prolog = new StringBuilder();
  private static final int PROLOG_MAX = 4096;

  private Map<String, String> attributes() throws StreamErrorException {
    int count = reader.getAttributeCount();
    if (count > limits.maxAttributes()) {
      fail(StreamErrorCondition.POLICY_VIOLATION, "more than " + limits.maxAttributes() + " attributes");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String value = reader.getAttributeValue(i);
      if (value.length() > limits.maxAttributeValueBytes()) {
        fail(StreamErrorCondition.POLICY_VIOLATION, "an attribute value is too long");
      }
      String ns = reader.getAttributeNamespace(i);
      String local = reader.getAttributeLocalName(i);
      if (ns == null || ns.isEmpty()) {
        out.put(local, value);
      } else if (ns.equals(XML_NS)) {
        out.put("xml:" + local, value);
      } else {
        out.put("{" + ns + "}" + local, value);
      }
    }
    return out;
  }

  private void end() throws XMLStreamException {
    if (stack.isEmpty()) {
      // the root closes: </stream:stream>
      events.accept(new StreamEvent.Close());
      return;
    }
    XmlElement element = stack.pop().build();
    if (stack.isEmpty()) {
      long end = reader.getLocationInfo().getEndingByteOffset();
      int bytes = (int) Math.max(0, Math.min(Integer.MAX_VALUE, end - elementStart));
      elementStart = -1;
      events.accept(new StreamEvent.Element(element, bytes));
    } else {
      stack.peek().child(element);
    }
  }

  private void text() throws XMLStreamException, StreamErrorException {
    String text = reader.getText();
    if (stack.isEmpty()) {
      if (!text.isBlank()) {
        fail(StreamErrorCondition.BAD_FORMAT, "text between stanzas");
      }
      return; // whitespace keepalives (RFC 6120 §4.6.1)
    }
    stack.peek().text(text);
  }

  private void fail(StreamErrorCondition condition, String text) throws StreamErrorException {
    failed = true;
    throw new StreamErrorException(condition, text);
  }

  private static StreamErrorCondition classify(XMLStreamException e) {
    String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    if (m.contains("entity")) {
      return StreamErrorCondition.RESTRICTED_XML;
    }
    if (m.contains("prefix") && (m.contains("undeclared") || m.contains("unbound"))) {
      return StreamErrorCondition.BAD_NAMESPACE_PREFIX;
    }
    if (m.contains("dtd") || m.contains("doctype")) {
      return StreamErrorCondition.RESTRICTED_XML;
    }
    return StreamErrorCondition.NOT_WELL_FORMED;
  }

  private static String firstLine(String message) {
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}

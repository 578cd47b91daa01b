package dev.tern.xmpp.xml;

import static java.util.Objects.requireNonNull;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.UncheckedStreamException;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.codehaus.stax2.XMLInputFactory2;
import org.jspecify.annotations.Nullable;

/**
 * The parsing core of both decoders: bytes of one XML document in, {@link StreamEvent}s out,
 * through Aalto's non-blocking parser, with RFC 6120's restrictions on XML (§11) and the
 * {@link XmlLimits} enforced while the bytes arrive.
 *
 * <p>Bytes are handed to Aalto in segments that end right after each {@code >} (and at most
 * {@link #SEGMENT_BYTES} long). Aalto reports a tag as soon as its {@code >} has been fed, so
 * after each segment the parser knows the exact input offset of every complete tag; that gives
 * the raw size of each element without Aalto's location tracking, which drifts under
 * incremental feeding, and lets {@link #feed} stop exactly after the input that completed an
 * event.
 *
 * <p>Every byte also passes a strict UTF-8 check (RFC 3629 §4) before Aalto sees it: Aalto
 * itself decodes some invalid sequences, such as the overlong {@code C0 BC}, into characters
 * (here {@code <}).
 *
 * <p>Not thread-safe; one instance per stream (or per WebSocket frame).
 */
public final class XmlStreamParser {

  /** Which document shape the input has. */
  public enum Mode {
    /** An open-ended {@code <stream:stream>}; its first-level children are events (§4). */
    STREAM,
    /** A single element that is itself the event, as in a WebSocket frame (RFC 7395 §3.3.3). */
    DOCUMENT
  }

  /** Largest piece of input handed to Aalto at once, so that limits are checked this often. */
  public static final int SEGMENT_BYTES = 4096;

  private static final AsyncXMLInputFactory FACTORY = newFactory();

  // Before the root start tag is complete, a byte-level look at the input finds what Aalto's
  // non-blocking parser cannot report as an event: it rejects a DOCTYPE's internal subset as
  // malformed instead of returning it, so "<!" in the prolog is caught here first.
  private static final int PROLOG_TEXT = 0;
  private static final int PROLOG_LT = 1;
  private static final int PROLOG_PI = 2;
  private static final int PROLOG_PI_QUESTION = 3;
  private static final int PROLOG_TAG = 4;
  private static final int PROLOG_TAG_APOS = 5;
  private static final int PROLOG_TAG_QUOT = 6;
  private static final int PROLOG_DONE = 7;

  private final XmlLimits limits;
  private final Mode mode;
  /** Open elements that are not part of any event: the stream root in {@link Mode#STREAM}. */
  private final int unreportedLevels;
  /** Starts small (it lives as long as the connection); stanzas are rarely deep. */
  private final ArrayDeque<XmlElement.Builder> open = new ArrayDeque<>(4);

  /** Null while released ({@link #releaseIfIdle}). */
  private @Nullable AsyncXMLStreamReader<AsyncByteArrayFeeder> reader;
  private int prolog = PROLOG_TEXT;
  /** UTF-8 continuation bytes still expected, and the range allowed for the next one. */
  private int utf8Pending;
  private int utf8Lowest = 0x80;
  private int utf8Highest = 0xBF;
  private int depth;
  private int emitted;
  private boolean documentEnded;
  private boolean rotationDue;
  /** Namespace declarations of the stream root, replayed into a fresh reader on rotation. */
  private final List<String[]> rootDeclarations = new ArrayList<>(2);

  // Offsets in the whole input, in bytes.
  private long consumed;
  private long lastLessThan = -1;
  private long lastGreaterThan = -1;
  private long elementStart;
  private long idleSince;
  private long readerSince;

  public XmlStreamParser(XmlLimits limits, Mode mode) {
    this.limits = requireNonNull(limits, "limits");
    this.mode = requireNonNull(mode, "mode");
    this.unreportedLevels = mode == Mode.STREAM ? 1 : 0;
    this.reader = FACTORY.createAsyncForByteArray();
  }

  /**
   * Parses input until it completes one or more events, and reports how much of it was used;
   * the caller feeds the rest afterwards. The array may be reused once this returns.
   *
   * @return the number of bytes used, from {@code offset}
   * @throws StreamErrorException if the input breaks XML, RFC 6120 or the limits; the parser is
   *     unusable afterwards
   */
  public int feed(byte[] input, int offset, int length, Consumer<StreamEvent> out)
      throws StreamErrorException {
    int end = offset + length;
    int segment = offset;
    for (int i = offset; i < end; i++) {
      byte b = input[i];
      long position = consumed + (i - segment);
      if (prolog != PROLOG_DONE) {
        scanProlog(b, position);
      }
      checkUtf8(b);
      if (b == '<') {
        lastLessThan = position;
      } else if (b == '>') {
        lastGreaterThan = position;
      }
      if (b == '>' || i + 1 - segment >= SEGMENT_BYTES) {
        int before = emitted;
        feedSegment(input, segment, i + 1 - segment, out);
        segment = i + 1;
        if (emitted != before) {
          return segment - offset;
        }
      }
    }
    if (segment < end) {
      // no '>' in it, so no tag and no event completes here
      feedSegment(input, segment, end - segment, out);
    }
    return length;
  }

  /**
   * Declares the input complete ({@link Mode#DOCUMENT}): fails unless exactly one whole element
   * was parsed.
   */
  public void endOfInput(Consumer<StreamEvent> out) throws StreamErrorException {
    if (utf8Pending > 0) {
      throw new StreamErrorException(
          StreamErrorCondition.NOT_WELL_FORMED, "the input ends inside a UTF-8 sequence");
    }
    reader.getInputFeeder().endOfInput();
    drain(out);
    if (!documentEnded) {
      throw new StreamErrorException(
          StreamErrorCondition.NOT_WELL_FORMED, "the input ends inside an element");
    }
  }

  private void feedSegment(byte[] input, int offset, int length, Consumer<StreamEvent> out)
      throws StreamErrorException {
    if (reader == null) {
      rotate(); // released while the stream was idle
    }
    try {
      reader.getInputFeeder().feedInput(input, offset, length);
    } catch (XMLStreamException e) {
      throw translate(e);
    } catch (UncheckedStreamException e) {
      throw translate(e.getCause());
    }
    consumed += length;
    drain(out);
    boolean between = open.isEmpty();
    if (consumed - (between ? idleSince : elementStart) > limits.maxStanzaBytes()) {
      throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
          "more than " + limits.maxStanzaBytes()
              + (between ? " bytes between elements" : " bytes in one element"));
    }
    if (rotationDue) {
      rotate();
    }
  }

  private void drain(Consumer<StreamEvent> out) throws StreamErrorException {
    try {
      int event;
      while ((event = reader.next()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
        switch (event) {
          case XMLStreamConstants.START_DOCUMENT -> checkEncoding();
          case XMLStreamConstants.START_ELEMENT -> startElement(out);
          case XMLStreamConstants.END_ELEMENT -> endElement(out);
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA,
              XMLStreamConstants.SPACE -> characters();
          case XMLStreamConstants.COMMENT -> throw restricted("a comment");
          case XMLStreamConstants.PROCESSING_INSTRUCTION ->
              throw restricted("a processing instruction");
          case XMLStreamConstants.ENTITY_REFERENCE ->
              throw restricted("a reference to entity '" + reader.getLocalName() + "'");
          case XMLStreamConstants.DTD -> throw restricted("a document type declaration");
          case XMLStreamConstants.END_DOCUMENT -> {
            documentEnded = true;
            return;
          }
          default -> {
            // attributes and namespaces arrive with their START_ELEMENT
          }
        }
      }
    } catch (XMLStreamException e) {
      throw translate(e);
    } catch (UncheckedStreamException e) {
      // Aalto's way of reporting errors found while lazily completing text, in getText()
      throw translate(e.getCause());
    }
  }

  private void checkEncoding() throws StreamErrorException {
    String encoding = reader.getCharacterEncodingScheme();
    if (encoding != null && !encoding.equalsIgnoreCase("UTF-8")) {
      throw new StreamErrorException(StreamErrorCondition.UNSUPPORTED_ENCODING,
          "encoding '" + encoding + "' declared; XMPP is UTF-8 only (RFC 6120 §11.6)");
    }
  }

  private void startElement(Consumer<StreamEvent> out) throws StreamErrorException {
    depth++;
    int level = depth - unreportedLevels;
    if (level <= 0) {
      openStream(out);
      return;
    }
    if (level > limits.maxDepth()) {
      throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
          "elements nested more than " + limits.maxDepth() + " deep");
    }
    if (open.isEmpty()) {
      // no '<' can occur inside a start tag, so the last one fed is this tag's
      elementStart = lastLessThan;
    }
    XmlElement.Builder element =
        XmlElement.builder(reader.getLocalName(), orEmpty(reader.getNamespaceURI()));
    attributes().forEach(element::attribute);
    open.push(element);
  }

  private void openStream(Consumer<StreamEvent> out) throws StreamErrorException {
    if (!XmlNamespaces.STREAMS.equals(reader.getNamespaceURI())
        || !"stream".equals(reader.getLocalName())) {
      throw new StreamErrorException(StreamErrorCondition.INVALID_NAMESPACE,
          "the stream header must be <stream> in " + XmlNamespaces.STREAMS + " (RFC 6120 §4.8.1)");
    }
    if (!"stream".equals(reader.getPrefix())) {
      throw new StreamErrorException(StreamErrorCondition.BAD_NAMESPACE_PREFIX,
          "the stream namespace must be used with the prefix 'stream' (RFC 6120 §4.9.3.2)");
    }
    Map<String, String> attributes = attributes();
    String defaultNamespace = "";
    for (int i = 0; i < reader.getNamespaceCount(); i++) {
      String prefix = orEmpty(reader.getNamespacePrefix(i));
      String uri = orEmpty(reader.getNamespaceURI(i));
      rootDeclarations.add(new String[] {prefix, uri});
      if (prefix.isEmpty()) {
        defaultNamespace = uri;
      }
    }
    emit(out, new StreamEvent.Open(attributes, defaultNamespace));
    idleSince = consumed;
  }

  private void endElement(Consumer<StreamEvent> out) throws StreamErrorException {
    int level = depth - unreportedLevels;
    depth--;
    if (level <= 0) {
      emit(out, new StreamEvent.Close());
      idleSince = consumed;
      return;
    }
    XmlElement element = open.pop().build();
    if (!open.isEmpty()) {
      open.peek().child(element);
      return;
    }
    // the segment just fed ends with this end tag's '>'
    long bytes = consumed - elementStart;
    if (bytes > limits.maxStanzaBytes()) {
      throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
          "more than " + limits.maxStanzaBytes() + " bytes in one element");
    }
    emit(out, new StreamEvent.Element(element, (int) bytes));
    idleSince = consumed;
    if (mode == Mode.STREAM && consumed - readerSince >= limits.maxStanzaBytes()) {
      rotationDue = true;
    }
  }

  private void characters() throws StreamErrorException {
    XmlElement.Builder current = open.peek();
    if (current != null) {
      current.text(reader.getText());
      return;
    }
    // between first-level elements only whitespace may be sent (RFC 6120 §11.7)
    String text = reader.getText();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        throw new StreamErrorException(StreamErrorCondition.BAD_FORMAT,
            "character data outside a stanza");
      }
    }
    idleSince = consumed;
  }

  /** The current start tag's attributes, checked against the limits. */
  private Map<String, String> attributes() throws StreamErrorException {
    int count = reader.getAttributeCount();
    if (count > limits.maxAttributes()) {
      throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
          "more than " + limits.maxAttributes() + " attributes on <" + reader.getLocalName() + ">");
    }
    Map<String, String> attributes = new LinkedHashMap<>(Math.max(4, count * 2));
    for (int i = 0; i < count; i++) {
      String value = reader.getAttributeValue(i);
      if (utf8Length(value) > limits.maxAttributeValueBytes()) {
        throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
            "an attribute value longer than " + limits.maxAttributeValueBytes() + " bytes");
      }
      String namespace = orEmpty(reader.getAttributeNamespace(i));
      String local = reader.getAttributeLocalName(i);
      String key;
      if (namespace.isEmpty()) {
        key = local;
      } else if (namespace.equals(XmlNamespaces.XML)) {
        key = "xml:" + local;
      } else {
        key = '{' + namespace + '}' + local;
      }
      attributes.put(key, value);
    }
    return attributes;
  }

  private void emit(Consumer<StreamEvent> out, StreamEvent event) {
    emitted++;
    out.accept(event);
  }

  /**
   * Drops Aalto's reader if the stream is between two first-level elements, with no tag begun:
   * an idle stream then costs no parser state (Aalto's scanner, name table and text buffers,
   * several KiB), and the next input gets a fresh reader that knows the stream root's namespace
   * declarations, as after {@link #rotate}. Answers whether it dropped it.
   */
  public boolean releaseIfIdle() {
    if (mode != Mode.STREAM || reader == null || documentEnded || prolog != PROLOG_DONE
        || depth != unreportedLevels || !open.isEmpty() || utf8Pending > 0
        || lastLessThan > lastGreaterThan) {
      return false;
    }
    reader = null;
    rotationDue = false;
    return true;
  }

  /**
   * Replaces the reader, between two first-level elements, with one that knows only the stream
   * root's namespace declarations. Aalto keeps every distinct name it has seen in a table per
   * reader, so on a long-lived stream a peer sending ever-new element names would otherwise grow
   * it without bound; rotating after every {@code maxStanzaBytes} of input bounds it.
   */
  private void rotate() throws StreamErrorException {
    rotationDue = false;
    // The old reader is dropped without close(): closing merges its name table into the
    // factory-wide one, which would let one peer's names outlive its connection.
    reader = FACTORY.createAsyncForByteArray();
    readerSince = consumed;
    StringBuilder header = new StringBuilder(256).append("<stream:stream");
    for (String[] declaration : rootDeclarations) {
      header.append(declaration[0].isEmpty() ? " xmlns" : " xmlns:" + declaration[0]).append("='");
      XmlWriter.escapeAttribute(header, declaration[1]);
      header.append('\'');
    }
    byte[] replay = header.append('>').toString().getBytes(StandardCharsets.UTF_8);
    try {
      reader.getInputFeeder().feedInput(replay, 0, replay.length);
      while (reader.next() != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
        // the replayed header's events were reported when the peer sent it
      }
    } catch (XMLStreamException e) {
      throw new StreamErrorException(StreamErrorCondition.INTERNAL_SERVER_ERROR,
          "could not resume the stream after renewing the parser");
    }
  }

  /** Well-formed UTF-8 (RFC 3629 §4): no overlong forms, no surrogates, nothing past U+10FFFF. */
  private void checkUtf8(byte b) throws StreamErrorException {
    int u = b & 0xFF;
    if (utf8Pending > 0) {
      if (u < utf8Lowest || u > utf8Highest) {
        throw invalidUtf8(u);
      }
      utf8Pending--;
      utf8Lowest = 0x80;
      utf8Highest = 0xBF;
    } else if (u >= 0x80) {
      if (u >= 0xC2 && u <= 0xDF) {
        utf8Pending = 1;
      } else if (u >= 0xE0 && u <= 0xEF) {
        utf8Pending = 2;
        if (u == 0xE0) {
          utf8Lowest = 0xA0;
        } else if (u == 0xED) {
          utf8Highest = 0x9F;
        }
      } else if (u >= 0xF0 && u <= 0xF4) {
        utf8Pending = 3;
        if (u == 0xF0) {
          utf8Lowest = 0x90;
        } else if (u == 0xF4) {
          utf8Highest = 0x8F;
        }
      } else {
        throw invalidUtf8(u);
      }
    }
  }

  private static StreamErrorException invalidUtf8(int b) {
    return new StreamErrorException(StreamErrorCondition.NOT_WELL_FORMED,
        String.format("invalid UTF-8: unexpected byte 0x%02X (RFC 3629 §4)", b));
  }

  private void scanProlog(byte b, long position) throws StreamErrorException {
    if (b == 0 || position == 0 && (b == (byte) 0xFE || b == (byte) 0xFF)) {
      // a NUL byte, or a byte order mark: UTF-16 or UTF-32, never UTF-8 XML
      throw new StreamErrorException(StreamErrorCondition.UNSUPPORTED_ENCODING,
          "the input is not UTF-8 (RFC 6120 §11.6)");
    }
    switch (prolog) {
      case PROLOG_TEXT -> {
        if (b == '<') {
          prolog = PROLOG_LT;
        }
      }
      case PROLOG_LT -> {
        if (b == '!') {
          // only a DOCTYPE or a comment can start with "<!" before the root element
          throw restricted("a document type declaration or comment");
        }
        prolog = b == '?' ? PROLOG_PI : PROLOG_TAG;
      }
      case PROLOG_PI -> {
        if (b == '?') {
          prolog = PROLOG_PI_QUESTION;
        }
      }
      case PROLOG_PI_QUESTION -> {
        if (b == '>') {
          prolog = PROLOG_TEXT;
        } else if (b != '?') {
          prolog = PROLOG_PI;
        }
      }
      case PROLOG_TAG -> {
        if (b == '\'') {
          prolog = PROLOG_TAG_APOS;
        } else if (b == '"') {
          prolog = PROLOG_TAG_QUOT;
        } else if (b == '>') {
          prolog = PROLOG_DONE;
        }
      }
      case PROLOG_TAG_APOS -> {
        if (b == '\'') {
          prolog = PROLOG_TAG;
        }
      }
      case PROLOG_TAG_QUOT -> {
        if (b == '"') {
          prolog = PROLOG_TAG;
        }
      }
      default -> {
        // PROLOG_DONE is never scanned
      }
    }
  }

  private static StreamErrorException restricted(String what) {
    return new StreamErrorException(StreamErrorCondition.RESTRICTED_XML,
        what + " is not allowed in XMPP (RFC 6120 §11.1)");
  }

  /**
   * Maps Aalto's well-formedness errors to stream errors. Aalto has no error codes, so the two
   * conditions it reports distinguishably are recognised by the start of its message.
   */
  private static StreamErrorException translate(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int lineEnd = message.indexOf('\n');
    if (lineEnd >= 0) {
      message = message.substring(0, lineEnd);
    }
    if (message.startsWith("Unbound namespace prefix")
        || message.startsWith("Undeclared namespace prefix")) {
      return new StreamErrorException(StreamErrorCondition.BAD_NAMESPACE_PREFIX, message);
    }
    if (message.startsWith("Unexpanded ENTITY_REFERENCE")) {
      // an undeclared entity in an attribute value (RFC 6120 §11.1)
      return new StreamErrorException(StreamErrorCondition.RESTRICTED_XML, message);
    }
    return new StreamErrorException(StreamErrorCondition.NOT_WELL_FORMED, message);
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  public static int utf8Length(String value) {
    int bytes = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isSurrogate(c)) {
        bytes += 2; // a pair is 4 bytes
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * A factory that never reads a DTD or resolves an entity: RFC 6120 §11.1 forbids both, and
   * anything that would need them is rejected as restricted XML instead.
   */
  private static AsyncXMLInputFactory newFactory() {
    InputFactoryImpl factory = new InputFactoryImpl();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty(XMLInputFactory.IS_VALIDATING, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    factory.setProperty(XMLInputFactory.IS_COALESCING, false);
    // names from the network must not go into the JVM-wide string pool
    factory.setProperty(XMLInputFactory2.P_INTERN_NAMES, false);
    factory.setProperty(XMLInputFactory2.P_INTERN_NS_URIS, false);
    factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
      throw new XMLStreamException("external entities are never resolved (RFC 6120 §11.1)");
    });
    return factory;
  }
}

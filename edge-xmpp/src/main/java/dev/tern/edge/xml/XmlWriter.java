package dev.tern.edge.xml;

import java.util.Map;

/**
 * Serialises elements as XMPP expects them: namespaces declared only where they change, the
 * five predefined entities for escaping, no XML declaration inside a stream.
 */
public final class XmlWriter {

  private static final String XML_NS = "http://www.w3.org/XML/1998/namespace";

  private XmlWriter() {}

  /** {@code element} as written inside a parent whose namespace is {@code inheritedNamespace}. */
  public static String toXml(XmlElement element, String inheritedNamespace) {
    StringBuilder sb = new StringBuilder(128);
    write(element, inheritedNamespace, sb);
    return sb.toString();
  }

  /** RFC 6120 §4.7: the opening of a stream, with the {@code stream} prefix declared. */
  public static String streamHeader(Map<String, String> attributes, String defaultNamespace) {
    StringBuilder sb = new StringBuilder("<?xml version='1.0'?><stream:stream");
    attributes.forEach((k, v) -> attribute(sb, k, v));
    attribute(sb, "xmlns", defaultNamespace);
    attribute(sb, "xmlns:stream", "http://etherx.jabber.org/streams");
    return sb.append('>').toString();
  }

  public static String streamClose() {
    return "</stream:stream>";
  }

  private static void write(XmlElement e, String inherited, StringBuilder sb) {
    boolean streamsNs = e.namespace().equals("http://etherx.jabber.org/streams");
    // Stream-level elements (features, error) keep the conventional prefix of RFC 6120 §4.
    String tag = streamsNs ? "stream:" + e.name() : e.name();
    sb.append('<').append(tag);
    if (streamsNs) {
      if (!inherited.equals(e.namespace())) {
        attribute(sb, "xmlns:stream", e.namespace());
      }
    } else if (!e.namespace().equals(inherited)) {
      attribute(sb, "xmlns", e.namespace());
    }
    int foreign = 0;
    for (Map.Entry<String, String> a : e.attributes().entrySet()) {
      String key = a.getKey();
      if (key.startsWith("{")) {
        int close = key.indexOf('}');
        String ns = key.substring(1, close);
        if (ns.equals(XML_NS)) {
          attribute(sb, "xml:" + key.substring(close + 1), a.getValue());
        } else {
          String prefix = "ns" + foreign++;
          attribute(sb, "xmlns:" + prefix, ns);
          attribute(sb, prefix + ":" + key.substring(close + 1), a.getValue());
        }
      } else {
        attribute(sb, key, a.getValue());
      }
    }
    if (e.children().isEmpty()) {
      sb.append("/>");
      return;
    }
    sb.append('>');
    // Children of a stream-prefixed element still inherit the stream's default namespace.
    String childInherited = streamsNs ? inherited : e.namespace();
    for (XmlNode child : e.children()) {
      if (child instanceof XmlElement c) {
        write(c, childInherited, sb);
      } else if (child instanceof XmlText t) {
        escapeText(t.text(), sb);
      }
    }
    sb.append("</").append(tag).append('>');
  }

  private static void attribute(StringBuilder sb, String key, String value) {
    sb.append(' ').append(key).append("='");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '\'' -> sb.append("&apos;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c);
      }
    }
    sb.append('\'');
  }

  private static void escapeText(String text, StringBuilder sb) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        default -> sb.append(c);
      }
    }
  }
}

package dev.tern.xmpp.xml;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Serialises {@link XmlElement}s and stream headers as XMPP peers expect them (RFC 6120 §4.7,
 * §11).
 *
 * <p>Content elements are written unprefixed, with {@code xmlns='…'} only where an element's
 * namespace differs from the default namespace in scope; elements of the stream namespace are
 * written with the {@code stream:} prefix (RFC 6120 §4.8.5). Values are always single-quoted.
 */
public final class XmlWriter {

  private static final String STREAM_PREFIX = "stream";

  private XmlWriter() {}

  /**
   * Writes one element.
   *
   * @param inheritedNamespace the default namespace in scope where the element is written. A
   *     non-empty value means the element goes inside a stream opened by {@link #streamHeader}
   *     (e.g. {@code "jabber:client"}, so stanzas are written without {@code xmlns}), where the
   *     {@code stream} prefix is bound too; {@code ""} means a standalone document such as a
   *     WebSocket frame (RFC 7395 §3.3.3), where every namespace used is declared.
   */
  public static String toXml(XmlElement element, String inheritedNamespace) {
    requireNonNull(element, "element");
    requireNonNull(inheritedNamespace, "inheritedNamespace");
    StringBuilder out = new StringBuilder(128);
    write(out, element, inheritedNamespace, !inheritedNamespace.isEmpty());
    return out.toString();
  }

  /**
   * The opening of a stream (RFC 6120 §4.7): the XML declaration and an unclosed
   * {@code <stream:stream>} binding the default namespace and the {@code stream} prefix.
   *
   * @param attributes the header's attributes such as {@code from}, {@code id}, {@code to},
   *     {@code version}, {@code xml:lang}; written in alphabetical order of their names
   * @param defaultNamespace the content namespace, e.g. {@code "jabber:client"}; none if empty
   */
  public static String streamHeader(Map<String, String> attributes, String defaultNamespace) {
    requireNonNull(attributes, "attributes");
    requireNonNull(defaultNamespace, "defaultNamespace");
    StringBuilder out = new StringBuilder(256).append("<?xml version='1.0'?><stream:stream");
    if (!defaultNamespace.isEmpty()) {
      out.append(" xmlns='");
      escapeAttribute(out, defaultNamespace);
      out.append('\'');
    }
    out.append(" xmlns:stream='").append(XmlNamespaces.STREAMS).append('\'');
    writeAttributes(out, new TreeMap<>(attributes));
    return out.append('>').toString();
  }

  /** The end of a stream (RFC 6120 §4.4). */
  public static String streamClose() {
    return "</stream:stream>";
  }

  private static void write(
      StringBuilder out, XmlElement element, String defaultNamespace, boolean streamPrefixBound) {
    String qualifiedName;
    String childDefault;
    boolean childStreamPrefixBound = streamPrefixBound;
    if (element.namespace().equals(XmlNamespaces.STREAMS)) {
      qualifiedName = STREAM_PREFIX + ':' + element.name();
      childDefault = defaultNamespace;
      out.append('<').append(qualifiedName);
      if (!streamPrefixBound) {
        out.append(" xmlns:stream='").append(XmlNamespaces.STREAMS).append('\'');
        childStreamPrefixBound = true;
      }
    } else {
      qualifiedName = element.name();
      childDefault = element.namespace();
      out.append('<').append(qualifiedName);
      if (!element.namespace().equals(defaultNamespace)) {
        out.append(" xmlns='");
        escapeAttribute(out, element.namespace());
        out.append('\'');
      }
    }
    writeAttributes(out, element.attributes());
    if (element.children().isEmpty()) {
      out.append("/>");
      return;
    }
    out.append('>');
    for (XmlNode child : element.children()) {
      if (child instanceof XmlElement e) {
        write(out, e, childDefault, childStreamPrefixBound);
      } else if (child instanceof XmlText t) {
        escapeText(out, t.text());
      }
    }
    out.append("</").append(qualifiedName).append('>');
  }

  /** Writes attributes; {@code {uri}local} keys get a prefix declared on the same element. */
  private static void writeAttributes(StringBuilder out, Map<String, String> attributes) {
    Map<String, String> prefixes = null;
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      String key = attribute.getKey();
      String name = key;
      int close = key.indexOf('}');
      if (key.startsWith("{") && close > 0) {
        String namespace = key.substring(1, close);
        if (prefixes == null) {
          prefixes = new LinkedHashMap<>();
        }
        String prefix = prefixes.get(namespace);
        if (prefix == null) {
          prefix = "ns" + prefixes.size();
          prefixes.put(namespace, prefix);
          out.append(" xmlns:").append(prefix).append("='");
          escapeAttribute(out, namespace);
          out.append('\'');
        }
        name = prefix + ':' + key.substring(close + 1);
      }
      out.append(' ').append(name).append("='");
      escapeAttribute(out, attribute.getValue());
      out.append('\'');
    }
  }

  /**
   * Escapes an attribute value for single or double quotes. Tab, line feed and carriage return
   * become character references so that attribute-value normalisation (XML 1.0 §3.3.3) gives
   * the same value back.
   */
  static void escapeAttribute(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        case '\t' -> out.append("&#9;");
        case '\n' -> out.append("&#10;");
        case '\r' -> out.append("&#13;");
        default -> out.append(c);
      }
    }
  }

  /** Escapes character data; a carriage return is kept by reference from line-end handling. */
  static void escapeText(StringBuilder out, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '\r' -> out.append("&#13;");
        default -> out.append(c);
      }
    }
  }
}

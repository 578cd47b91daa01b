package dev.tern.xmpp.xml;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable XML element with its namespace resolved, the way stanzas and nonzas travel through
 * Tern.
 *
 * <p>Names are local names plus a namespace URI ({@code ""} for none); prefixes are a matter of
 * serialisation ({@link XmlWriter}). Attribute keys are local names for unprefixed attributes,
 * {@code "xml:lang"} (and any other {@code xml:} attribute) under its usual spelling, and
 * {@code "{namespace}local"} for other namespaced attributes. Adjacent character data is always
 * merged into one {@link XmlText}, so two parses of the same XML are {@code equal} however the
 * bytes were split.
 */
public final class XmlElement implements XmlNode {

  private final String name;
  private final String namespace;
  private final Map<String, String> attributes;
  private final List<XmlNode> children;

  private XmlElement(Builder builder) {
    this.name = builder.name;
    this.namespace = builder.namespace;
    this.attributes = compact(builder.attributes);
    this.children = List.copyOf(builder.children);
  }

  /**
   * An unmodifiable copy in the same order. Elements with no attribute or one share no map or get
   * the smallest, which counts for the stanzas an idle session keeps (its last presence).
   */
  private static Map<String, String> compact(Map<String, String> attributes) {
    return switch (attributes.size()) {
      case 0 -> Map.of();
      case 1 -> {
        Map.Entry<String, String> only = attributes.entrySet().iterator().next();
        yield Map.of(only.getKey(), only.getValue());
      }
      default -> Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    };
  }

  public static Builder builder(String name, String namespace) {
    return new Builder(name, namespace);
  }

  /** A builder holding this element's name, namespace, attributes and children. */
  public Builder toBuilder() {
    Builder builder = new Builder(name, namespace);
    builder.attributes.putAll(attributes);
    builder.children.addAll(children);
    return builder;
  }

  /** The local name. */
  public String name() {
    return name;
  }

  /** The namespace URI, {@code ""} if the element is in no namespace. */
  public String namespace() {
    return namespace;
  }

  /** Attributes in document order, keyed as described on the class. */
  public Map<String, String> attributes() {
    return attributes;
  }

  public Optional<String> attribute(String name) {
    return Optional.ofNullable(attributes.get(requireNonNull(name, "name")));
  }

  public List<XmlNode> children() {
    return children;
  }

  /** The child elements, without the character data between them. */
  public List<XmlElement> elements() {
    List<XmlElement> elements = new ArrayList<>(children.size());
    for (XmlNode child : children) {
      if (child instanceof XmlElement element) {
        elements.add(element);
      }
    }
    return Collections.unmodifiableList(elements);
  }

  /** The first child element with this local name and namespace. */
  public Optional<XmlElement> child(String name, String namespace) {
    requireNonNull(name, "name");
    requireNonNull(namespace, "namespace");
    for (XmlNode child : children) {
      if (child instanceof XmlElement element
          && element.name.equals(name) && element.namespace.equals(namespace)) {
        return Optional.of(element);
      }
    }
    return Optional.empty();
  }

  /** The character data directly inside this element, concatenated; {@code ""} if none. */
  public String text() {
    StringBuilder text = new StringBuilder();
    for (XmlNode child : children) {
      if (child instanceof XmlText t) {
        text.append(t.text());
      }
    }
    return text.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof XmlElement that
        && name.equals(that.name)
        && namespace.equals(that.namespace)
        && attributes.equals(that.attributes)
        && children.equals(that.children);
  }

  @Override
  public int hashCode() {
    int hash = name.hashCode();
    hash = 31 * hash + namespace.hashCode();
    hash = 31 * hash + attributes.hashCode();
    return 31 * hash + children.hashCode();
  }

  /** The element as standalone XML, declaring every namespace it uses. */
  @Override
  public String toString() {
    return XmlWriter.toXml(this, "");
  }

  /** Collects the parts of an element; adjacent text is merged, empty text dropped. */
  public static final class Builder {

    private final String name;
    private final String namespace;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<XmlNode> children = new ArrayList<>();
    private final StringBuilder pendingText = new StringBuilder();

    private Builder(String name, String namespace) {
      this.name = checkLocalName(requireNonNull(name, "name"));
      this.namespace = requireNonNull(namespace, "namespace");
    }

    /**
     * Sets an attribute, replacing any previous value under the same key: a local name,
     * {@code "xml:lang"} (or another {@code xml:} name), or {@code "{namespace}local"}.
     */
    public Builder attribute(String name, String value) {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      if (name.equals("xmlns") || name.startsWith("xmlns:")) {
        // XmlWriter declares namespaces from the element's namespace and "{uri}local" keys
        throw new IllegalArgumentException("namespace declarations are not attributes: " + name);
      }
      int close = name.indexOf('}');
      if (name.startsWith("{") && close > 0) {
        checkLocalName(name.substring(close + 1));
      } else {
        checkLocalName(name.startsWith("xml:") ? name.substring(4) : name);
      }
      attributes.put(name, value);
      return this;
    }

    public Builder removeAttribute(String name) {
      attributes.remove(requireNonNull(name, "name"));
      return this;
    }

    /** Removes {@code child} (the same node, compared by equality) if it is one. */
    public Builder removeChild(XmlNode child) {
      flushText();
      children.remove(requireNonNull(child, "child"));
      return this;
    }

    public Builder child(XmlNode child) {
      requireNonNull(child, "child");
      if (child instanceof XmlText text) {
        return text(text.text());
      }
      flushText();
      children.add(child);
      return this;
    }

    /** Appends character data (unescaped), merging it with text appended just before. */
    public Builder text(String text) {
      requireNonNull(text, "text");
      if (!text.isEmpty()) {
        if (pendingText.length() == 0 && !children.isEmpty()
            && children.get(children.size() - 1) instanceof XmlText last) {
          children.remove(children.size() - 1);
          pendingText.append(last.text());
        }
        pendingText.append(text);
      }
      return this;
    }

    public XmlElement build() {
      flushText();
      return new XmlElement(this);
    }

    /**
     * Rejects names that would change the markup when written: empty, or holding a colon,
     * whitespace, a brace or one of {@code < > & ' " / = ? !}. Full XML name rules are left to
     * the parser.
     */
    private static String checkLocalName(String name) {
      if (name.isEmpty()) {
        throw new IllegalArgumentException("a name must not be empty");
      }
      for (int i = 0; i < name.length(); i++) {
        if (":<>&'\"/=?!{} \t\r\n".indexOf(name.charAt(i)) >= 0) {
          throw new IllegalArgumentException("not an XML local name: " + name);
        }
      }
      return name;
    }

    private void flushText() {
      if (pendingText.length() > 0) {
        children.add(new XmlText(pendingText.toString()));
        pendingText.setLength(0);
      }
    }
  }
}

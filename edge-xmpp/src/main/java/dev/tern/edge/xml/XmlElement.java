package dev.tern.edge.xml;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable XML element with its resolved namespace. Attributes without a namespace are keyed
 * by their local name, {@code xml:lang} as {@code "xml:lang"}, others as {@code "{ns}local"}.
 */
public final class XmlElement implements XmlNode {

  private final String name;
  private final String namespace;
  private final Map<String, String> attributes;
  private final List<XmlNode> children;

  private XmlElement(String name, String namespace, Map<String, String> attributes,
      List<XmlNode> children) {
    this.name = name;
    this.namespace = namespace;
    this.attributes = attributes;
    this.children = children;
  }

  public static Builder builder(String name, String namespace) {
    return new Builder(name, namespace);
  }

  public String name() {
    return name;
  }

  public String namespace() {
    return namespace;
  }

  public Map<String, String> attributes() {
    return attributes;
  }

  public Optional<String> attribute(String key) {
    return Optional.ofNullable(attributes.get(key));
  }

  public List<XmlNode> children() {
    return children;
  }

  /** The child elements, in order. */
  public List<XmlElement> elements() {
    List<XmlElement> out = new ArrayList<>();
    for (XmlNode n : children) {
      if (n instanceof XmlElement e) {
        out.add(e);
      }
    }
    return out;
  }

  /** The first child element with this name and namespace. */
  public Optional<XmlElement> child(String childName, String childNamespace) {
    for (XmlNode n : children) {
      if (n instanceof XmlElement e && e.name.equals(childName) && e.namespace.equals(childNamespace)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** The direct text content, concatenated. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (XmlNode n : children) {
      if (n instanceof XmlText t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  public Builder toBuilder() {
    Builder b = new Builder(name, namespace);
    b.attributes.putAll(attributes);
    b.children.addAll(children);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XmlElement e && name.equals(e.name) && namespace.equals(e.namespace)
        && attributes.equals(e.attributes) && children.equals(e.children);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, namespace, attributes, children);
  }

  @Override
  public String toString() {
    return XmlWriter.toXml(this, "");
  }

  /** Builds an element; attributes keep their insertion order. */
  public static final class Builder {
    private final String name;
    private final String namespace;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<XmlNode> children = new ArrayList<>();

    private Builder(String name, String namespace) {
      this.name = requireNonNull(name, "name");
      this.namespace = requireNonNull(namespace, "namespace");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("an element needs a name");
      }
    }

    public Builder attribute(String key, String value) {
      attributes.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    public Builder removeAttribute(String key) {
      attributes.remove(key);
      return this;
    }

    public Builder child(XmlNode child) {
      children.add(requireNonNull(child, "child"));
      return this;
    }

    public Builder text(String text) {
      if (!text.isEmpty()) {
        // adjacent text merges, so parsing split input gives equal elements
        int last = children.size() - 1;
        if (last >= 0 && children.get(last) instanceof XmlText t) {
          children.set(last, new XmlText(t.text() + text));
        } else {
          children.add(new XmlText(text));
        }
      }
      return this;
    }

    public XmlElement build() {
      return new XmlElement(name, namespace,
          Collections.unmodifiableMap(new LinkedHashMap<>(attributes)),
          List.copyOf(children));
    }
  }
}

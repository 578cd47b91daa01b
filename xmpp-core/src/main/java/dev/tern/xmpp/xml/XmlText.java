package dev.tern.xmpp.xml;

import static java.util.Objects.requireNonNull;

/** Character data, unescaped; adjacent runs are merged by {@link XmlElement.Builder}. */
public record XmlText(String text) implements XmlNode {

  public XmlText {
    requireNonNull(text, "text");
  }
}

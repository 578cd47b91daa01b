package dev.tern.xmpp.xml;

/** A node of an XML stanza: an element or a run of character data. */
public sealed interface XmlNode permits XmlElement, XmlText {}

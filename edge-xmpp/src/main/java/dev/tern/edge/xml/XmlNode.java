package dev.tern.edge.xml;

/** A child of an element: another element or text. */
public sealed interface XmlNode permits XmlElement, XmlText {}

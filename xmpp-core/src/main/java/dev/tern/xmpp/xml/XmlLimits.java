package dev.tern.xmpp.xml;

/**
 * Bounds on what one peer may make the decoder hold, each enforced while parsing so that a
 * violation is found before the offending input has all arrived (RFC 6120 §13.12).
 *
 * @param maxStanzaBytes largest first-level element in bytes, tags included; also bounds the
 *     prolog and stream header, and the whitespace between elements
 * @param maxDepth deepest element nesting, counting the first-level element as 1
 * @param maxAttributes most attributes on one element, namespace declarations not counted
 * @param maxAttributeValueBytes longest attribute value, in UTF-8 bytes after unescaping
 */
public record XmlLimits(
    int maxStanzaBytes, int maxDepth, int maxAttributes, int maxAttributeValueBytes) {

  /** 256 KiB stanzas, 64 levels, 64 attributes per element, 8 KiB per attribute value. */
  public static final XmlLimits DEFAULTS = new XmlLimits(256 * 1024, 64, 64, 8 * 1024);

  public XmlLimits {
    positive("maxStanzaBytes", maxStanzaBytes);
    positive("maxDepth", maxDepth);
    positive("maxAttributes", maxAttributes);
    positive("maxAttributeValueBytes", maxAttributeValueBytes);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}

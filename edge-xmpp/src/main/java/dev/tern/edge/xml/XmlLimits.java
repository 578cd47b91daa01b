package dev.tern.edge.xml;

/**
 * Limits the decoders enforce while parsing, each answered with {@code <policy-violation/>}.
 *
 * @param maxStanzaBytes bytes of one top-level element
 * @param maxDepth nesting, the top-level element being depth 1
 * @param maxAttributes attributes on one element
 * @param maxAttributeValueBytes characters of one attribute value
 */
public record XmlLimits(int maxStanzaBytes, int maxDepth, int maxAttributes,
    int maxAttributeValueBytes) {

  /** 256 KiB stanzas, depth 64, 64 attributes of at most 8 KiB. */
  public static final XmlLimits DEFAULTS = new XmlLimits(256 * 1024, 64, 64, 8 * 1024);

  public XmlLimits {
    if (maxStanzaBytes < 1 || maxDepth < 1 || maxAttributes < 1 || maxAttributeValueBytes < 1) {
      throw new IllegalArgumentException("XML limits must be positive");
    }
  }
}

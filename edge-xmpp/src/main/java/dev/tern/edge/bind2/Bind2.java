package dev.tern.edge.bind2;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.xml.XmlElement;
import java.util.List;

/**
 * The server's Bind 2 elements (XEP-0386 §3): the inline feature advertised inside SASL2's
 * {@code <inline/>}, and the {@code <bound/>} result in the SASL2 {@code <success/>}.
 */
public final class Bind2 {

  /** XEP-0386 §6. */
  public static final String NAMESPACE = "urn:xmpp:bind:0";

  private Bind2() {}

  /**
   * {@code <bind xmlns='urn:xmpp:bind:0'/>} for SASL2's {@code <inline/>} (XEP-0386 §3.1), with
   * a {@code <feature var='…'/>} for each session feature the client may request inside its
   * bind request, such as {@code urn:xmpp:sm:3} or {@code urn:xmpp:csi:0}.
   */
  public static XmlElement feature(List<String> inlineFeatures) {
    requireNonNull(inlineFeatures, "inlineFeatures");
    XmlElement.Builder bind = XmlElement.builder("bind", NAMESPACE);
    if (!inlineFeatures.isEmpty()) {
      XmlElement.Builder inline = XmlElement.builder("inline", NAMESPACE);
      for (String var : inlineFeatures) {
        inline.child(XmlElement.builder("feature", NAMESPACE).attribute("var", var).build());
      }
      bind.child(inline.build());
    }
    return bind.build();
  }

  /**
   * {@code <bound xmlns='urn:xmpp:bind:0'/>} for the SASL2 {@code <success/>} (XEP-0386 §3.2),
   * holding the results of the inline requests, such as XEP-0198's {@code <enabled/>} or
   * XEP-0313's {@code <metadata/>}.
   */
  public static XmlElement bound(List<XmlElement> inlineResults) {
    requireNonNull(inlineResults, "inlineResults");
    XmlElement.Builder bound = XmlElement.builder("bound", NAMESPACE);
    inlineResults.forEach(bound::child);
    return bound.build();
  }
}

package dev.tern.edge.sid;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;

/**
 * XEP-0359's {@code <stanza-id/>}: the id an entity gives a stanza, named by that entity's JID in
 * {@code by}. Only the server sets those that name its domain or its users (§3.3); any a client
 * sent is removed before the message is stored or delivered, so that a recipient can trust every
 * stanza-id naming this service.
 */
public final class StanzaIds {

  public static final String NAMESPACE = "urn:xmpp:sid:0";

  private StanzaIds() {}

  /**
   * {@code message} without the {@code <stanza-id/>} elements whose {@code by} is {@code domain}
   * or a JID at it (a user, a resource), or is missing or no JID at all; the same element when it
   * has none.
   */
  public static XmlElement withoutOwn(XmlElement message, String domain) {
    requireNonNull(message, "message");
    requireNonNull(domain, "domain");
    List<XmlElement> own = message.elements().stream()
        .filter(c -> c.name().equals("stanza-id") && c.namespace().equals(NAMESPACE))
        .filter(c -> !byElsewhere(c, domain))
        .toList();
    if (own.isEmpty()) {
      return message;
    }
    XmlElement.Builder b = message.toBuilder();
    own.forEach(b::removeChild);
    return b.build();
  }

  /** The id that {@code by} gave {@code message}, if it carries one. */
  public static Optional<String> of(XmlElement message, Jid by) {
    requireNonNull(by, "by");
    for (XmlElement c : message.elements()) {
      if (c.name().equals("stanza-id") && c.namespace().equals(NAMESPACE)
          && c.attribute("by").flatMap(StanzaIds::parse).filter(by::equals).isPresent()) {
        return c.attribute("id");
      }
    }
    return Optional.empty();
  }

  /** Whether {@code stanzaId} names an entity of another domain, which this server leaves be. */
  private static boolean byElsewhere(XmlElement stanzaId, String domain) {
    return stanzaId.attribute("by").flatMap(StanzaIds::parse)
        .map(by -> !by.domain().equals(domain)).orElse(false);
  }

  private static Optional<Jid> parse(String jid) {
    try {
      return Optional.of(Jid.parse(jid));
    } catch (JidMalformedException e) {
      return Optional.empty();
    }
  }
}

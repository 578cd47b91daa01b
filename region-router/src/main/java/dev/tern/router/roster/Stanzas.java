package dev.tern.router.roster;

import dev.tern.routing.roster.RosterWire;
import dev.tern.storage.roster.RosterItem;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlNamespaces;
import java.util.UUID;

/**
 * The few stanzas the router writes itself, in {@code jabber:client}: roster pushes (RFC 6121
 * §2.1.6), subscription answers the server gives on a user's behalf, and the presence
 * instructions the edges carry out for the sessions they hold (see {@link #probe},
 * {@link #retract}). Each is built as an {@link XmlElement} and travels as the self-contained XML
 * of {@link Xml#serialize}, which the edge reads back with {@link Xml#parse}.
 */
final class Stanzas {

  /** The namespace of the edge instruction "send unavailable presence to 'from'". */
  static final String RETRACT_NS = "urn:tern:presence";

  /** RFC 6121 §2.1.1. */
  private static final String ROSTER_NS = "jabber:iq:roster";

  private Stanzas() {}

  /**
   * A roster push of {@code item} to the user's interested resources; {@code remove} pushes
   * {@code subscription='remove'} (RFC 6121 §2.5.2). The edge sets each resource's full JID as
   * 'to'. A versioned item carries its version in {@code <order xmlns='urn:tern:roster'/>}: the
   * edge delivers a push only if it is newer than the last one for the same contact, and never
   * shows the element to the client.
   */
  static String push(String user, RosterItem item, boolean remove) {
    XmlElement.Builder entry = XmlElement.builder("item", ROSTER_NS)
        .attribute("jid", item.contact());
    if (remove) {
      entry.attribute("subscription", "remove");
    } else {
      item.name().ifPresent(n -> entry.attribute("name", n));
      entry.attribute("subscription", item.subscription().attribute());
      if (item.askSubscribe()) {
        entry.attribute("ask", "subscribe");
      }
      if (item.approved()) {
        entry.attribute("approved", "true");
      }
      for (String g : item.groups()) {
        entry.child(XmlElement.builder("group", ROSTER_NS).text(g).build());
      }
    }
    XmlElement.Builder iq = XmlElement.builder("iq", XmlNamespaces.CLIENT)
        .attribute("type", "set")
        .attribute("id", "push-" + UUID.randomUUID())
        .attribute("to", user)
        .child(XmlElement.builder("query", ROSTER_NS).child(entry.build()).build());
    if (item.version() > 0) {
      iq.child(XmlElement.builder("order", RosterWire.ORDER_NS)
          .attribute("version", Long.toString(item.version())).build());
    }
    return Xml.serialize(iq.build());
  }

  /** A subscription stanza the server sends on behalf of {@code from} (e.g. §3.1.3's reply). */
  static String subscription(String type, String from, String to) {
    return Xml.serialize(presence(type, from).attribute("to", to).build());
  }

  /**
   * RFC 6121 §4.3: a probe for {@code to}'s presence. The edges holding {@code to}'s sessions
   * answer it: each available session sends its last presence to {@code from}.
   */
  static String probe(String from, String to) {
    return Xml.serialize(presence("probe", from).attribute("to", to).build());
  }

  /**
   * An instruction for the edges holding {@code to}'s sessions: each available session sends
   * unavailable presence to {@code from}, who may no longer see it (RFC 6121 §3.2.2, §3.3.3).
   * Never delivered to a client.
   */
  static String retract(String from, String to) {
    return Xml.serialize(presence("unavailable", from).attribute("to", to)
        .child(XmlElement.builder("retract", RETRACT_NS).build()).build());
  }

  /** §4.5.2: the unavailable presence of a session that ended without sending it. */
  static String unavailable(String fullJid) {
    return Xml.serialize(presence("unavailable", fullJid).build());
  }

  private static XmlElement.Builder presence(String type, String from) {
    return XmlElement.builder("presence", XmlNamespaces.CLIENT)
        .attribute("type", type)
        .attribute("from", from);
  }
}

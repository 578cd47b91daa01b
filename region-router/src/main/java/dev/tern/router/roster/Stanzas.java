package dev.tern.router.roster;

import dev.tern.routing.roster.RosterWire;
import dev.tern.storage.roster.RosterItem;
import java.util.UUID;

/**
 * The few stanzas the router writes itself, as XML strings in {@code jabber:client}: roster
 * pushes (RFC 6121 §2.1.6), subscription answers the server gives on a user's behalf, and the
 * presence instructions the edges carry out for the sessions they hold (see {@link #probe},
 * {@link #retract}).
 */
final class Stanzas {

  /** The namespace of the edge instruction "send unavailable presence to 'from'". */
  static final String RETRACT_NS = "urn:tern:presence";

  private Stanzas() {}

  /**
   * A roster push of {@code item} to the user's interested resources; {@code remove} pushes
   * {@code subscription='remove'} (RFC 6121 §2.5.2). The edge sets each resource's full JID as
   * 'to'. A versioned item carries its version in {@code <order xmlns='urn:tern:roster'/>}: the
   * edge delivers a push only if it is newer than the last one for the same contact, and never
   * shows the element to the client.
   */
  static String push(String user, RosterItem item, boolean remove) {
    StringBuilder sb = new StringBuilder("<iq xmlns='jabber:client' type='set' id='push-")
        .append(UUID.randomUUID()).append("' to='").append(escape(user)).append("'>")
        .append("<query xmlns='jabber:iq:roster'>");
    sb.append("<item jid='").append(escape(item.contact())).append('\'');
    if (remove) {
      sb.append(" subscription='remove'/>");
    } else {
      item.name().ifPresent(n -> sb.append(" name='").append(escape(n)).append('\''));
      sb.append(" subscription='").append(item.subscription().attribute()).append('\'');
      if (item.askSubscribe()) {
        sb.append(" ask='subscribe'");
      }
      if (item.approved()) {
        sb.append(" approved='true'");
      }
      sb.append('>');
      for (String g : item.groups()) {
        sb.append("<group>").append(escape(g)).append("</group>");
      }
      sb.append("</item>");
    }
    sb.append("</query>");
    if (item.version() > 0) {
      sb.append("<order xmlns='").append(RosterWire.ORDER_NS).append("' version='").append(item.version())
          .append("'/>");
    }
    return sb.append("</iq>").toString();
  }

  /** A subscription stanza the server sends on behalf of {@code from} (e.g. §3.1.3's reply). */
  static String subscription(String type, String from, String to) {
    return "<presence xmlns='jabber:client' type='" + type + "' from='" + escape(from)
        + "' to='" + escape(to) + "'/>";
  }

  /**
   * RFC 6121 §4.3: a probe for {@code to}'s presence. The edges holding {@code to}'s sessions
   * answer it: each available session sends its last presence to {@code from}.
   */
  static String probe(String from, String to) {
    return "<presence xmlns='jabber:client' type='probe' from='" + escape(from)
        + "' to='" + escape(to) + "'/>";
  }

  /**
   * An instruction for the edges holding {@code to}'s sessions: each available session sends
   * unavailable presence to {@code from}, who may no longer see it (RFC 6121 §3.2.2, §3.3.3).
   * Never delivered to a client.
   */
  static String retract(String from, String to) {
    return "<presence xmlns='jabber:client' type='unavailable' from='" + escape(from)
        + "' to='" + escape(to) + "'><retract xmlns='" + RETRACT_NS + "'/></presence>";
  }

  /** §4.5.2: the unavailable presence of a session that ended without sending it. */
  static String unavailable(String fullJid) {
    return "<presence xmlns='jabber:client' type='unavailable' from='" + escape(fullJid) + "'/>";
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '\'' -> sb.append("&apos;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}

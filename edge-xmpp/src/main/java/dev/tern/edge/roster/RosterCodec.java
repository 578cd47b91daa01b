package dev.tern.edge.roster;

import dev.tern.edge.iq.IqError;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.Subscription;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** The {@code jabber:iq:roster} payloads (RFC 6121 §2.1) read into requests and written back. */
public final class RosterCodec {

  public static final String NAMESPACE = "jabber:iq:roster";
  /** The longest name or group accepted (RFC 6121 §2.3.3: a server-configured limit). */
  static final int MAX_TEXT = 1023;

  /** What a roster IQ asks. */
  public sealed interface Request permits Get, Set, Remove {}

  /** §2.1.3: the whole roster. */
  public record Get() implements Request {}

  /**
   * §2.4: add or update an item.
   *
   * @param claimed the subscription other than 'none' the client's item named, if any: a client
   *     may repeat the stored one (Smack does when renaming), but not set another (not-allowed)
   */
  public record Set(RosterItem item, Optional<Subscription> claimed) implements Request {}

  /** §2.5: remove the item. */
  public record Remove(String contact) implements Request {}

  private RosterCodec() {}

  /**
   * Reads a roster get or set; an invalid set fails with the error of RFC 6121 §2.3.3.
   *
   * @throws IqError bad-request, not-acceptable or jid-malformed
   */
  public static Request parse(String type, XmlElement query) {
    if (type.equals("get")) {
      return new Get();
    }
    List<XmlElement> items = query.elements();
    if (items.size() != 1 || !items.get(0).name().equals("item")
        || !items.get(0).namespace().equals(NAMESPACE)) {
      throw new IqError(StanzaErrorCondition.BAD_REQUEST, "a roster set holds exactly one item");
    }
    XmlElement item = items.get(0);
    String contact = contact(item);
    Optional<String> subscription = item.attribute("subscription");
    if (subscription.isPresent() && subscription.get().equals("remove")) {
      return new Remove(contact);
    }
    Optional<Subscription> claimed;
    try {
      // 'none' is what clients send for any new item (Smack does), so it claims nothing.
      claimed = subscription.map(Subscription::of).filter(s -> s != Subscription.NONE);
    } catch (IllegalArgumentException e) {
      throw new IqError(StanzaErrorCondition.BAD_REQUEST,
          "not a subscription value: " + subscription.get());
    }
    Optional<String> name = item.attribute("name").filter(n -> !n.isEmpty());
    if (name.isPresent() && name.get().length() > MAX_TEXT) {
      throw new IqError(StanzaErrorCondition.NOT_ACCEPTABLE, "the name is too long");
    }
    LinkedHashSet<String> groups = new LinkedHashSet<>();
    for (XmlElement g : item.elements()) {
      if (!g.name().equals("group") || !g.namespace().equals(NAMESPACE)) {
        continue;
      }
      String group = g.text();
      if (group.isEmpty() || group.length() > MAX_TEXT) {
        throw new IqError(StanzaErrorCondition.NOT_ACCEPTABLE,
            group.isEmpty() ? "a group needs a name" : "a group name is too long");
      }
      if (!groups.add(group)) {
        throw new IqError(StanzaErrorCondition.BAD_REQUEST, "a group is named twice: " + group);
      }
    }
    return new Set(new RosterItem(contact, name, groups, Subscription.NONE, false, false), claimed);
  }

  private static String contact(XmlElement item) {
    String jid = item.attribute("jid").orElseThrow(
        () -> new IqError(StanzaErrorCondition.BAD_REQUEST, "an item needs a 'jid'"));
    try {
      return Jid.parse(jid).bare().toString();
    } catch (JidMalformedException e) {
      throw new IqError(StanzaErrorCondition.JID_MALFORMED, "not a JID: " + jid);
    }
  }

  /** The roster result of §2.1.4. */
  public static XmlElement query(List<RosterItem> items) {
    XmlElement.Builder query = XmlElement.builder("query", NAMESPACE);
    for (RosterItem i : items) {
      query.child(item(i));
    }
    return query.build();
  }

  static XmlElement item(RosterItem i) {
    XmlElement.Builder b = XmlElement.builder("item", NAMESPACE).attribute("jid", i.contact());
    i.name().ifPresent(n -> b.attribute("name", n));
    b.attribute("subscription", i.subscription().attribute());
    if (i.askSubscribe()) {
      b.attribute("ask", "subscribe");
    }
    if (i.approved()) {
      b.attribute("approved", "true");
    }
    for (String g : i.groups()) {
      b.child(XmlElement.builder("group", NAMESPACE).text(g).build());
    }
    return b.build();
  }
}

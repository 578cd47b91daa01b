package dev.tern.edge.carbons;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Optional;

/**
 * The copies of XEP-0280. When a user sends a message, the edge wraps it in
 * {@code <sent><forwarded>…</forwarded></sent>} (§7) addressed to the user's bare JID and passes
 * it over the user's NATS subject, so every edge holding a session of the user sees it, in any
 * region; each session then keeps it only if it enabled carbons and is not the resource that
 * sent the message ({@link #forSession}). Copies are stored nowhere.
 *
 * <p>A message to a user is stored for the bare JID and delivered to every session of the user.
 * One addressed to a full JID reaches each other session that enabled carbons as a
 * {@code <received/>} copy instead (§6, {@link #receivedCopy}), or not at all when it is not to be
 * copied; a session without carbons gets it as it is.
 */
public final class Carbons {

  public static final String NAMESPACE = "urn:xmpp:carbons:2";
  public static final String FORWARD = "urn:xmpp:forward:0";
  public static final String HINTS = "urn:xmpp:hints";
  private static final String CLIENT = "jabber:client";

  private Carbons() {}

  /** Payloads that make any message an IM message worth copying (XEP-0280 §6). */
  private static final java.util.Set<String> IM_PAYLOADS = java.util.Set.of(
      "http://jabber.org/protocol/chatstates", "urn:xmpp:receipts", "urn:xmpp:chat-markers:0");

  /**
   * XEP-0280 §6: a chat message, a normal one with a body, or one carrying a chat state, receipt
   * or marker is copied, unless it carries {@code <private xmlns='urn:xmpp:carbons:2'/>} (§8) or
   * {@code <no-copy xmlns='urn:xmpp:hints'/>} (XEP-0334 §4.2).
   */
  public static boolean eligible(XmlElement message) {
    requireNonNull(message, "message");
    String type = message.attribute("type").orElse("normal");
    boolean kind = type.equals("chat")
        || type.equals("normal") && message.child("body", CLIENT).isPresent()
        || !type.equals("groupchat") && !type.equals("error") && message.elements().stream()
            .anyMatch(c -> IM_PAYLOADS.contains(c.namespace()));
    return kind && message.child("private", NAMESPACE).isEmpty()
        && message.child("no-copy", HINTS).isEmpty();
  }

  /**
   * The sent copy of {@code message}, which {@code sender} sent (its {@code from} stamped), for
   * the sender's other resources; empty when the message is not to be copied.
   */
  public static Optional<XmlElement> sentCopy(XmlElement message, Jid sender) {
    requireNonNull(sender, "sender");
    if (!eligible(message)) {
      return Optional.empty();
    }
    String bare = sender.bare().toString();
    return Optional.of(XmlElement.builder("message", CLIENT)
        .attribute("from", bare)
        .attribute("to", bare)
        .attribute("type", message.attribute("type").orElse("normal"))
        .child(XmlElement.builder("sent", NAMESPACE)
            .child(XmlElement.builder("forwarded", FORWARD).child(message).build())
            .build())
        .build());
  }

  /**
   * XEP-0280 §6: the received copy of a stored message for {@code session}, one of its
   * recipient's resources: present when the message is addressed to another resource of the same
   * user (which gets the message itself) and is to be copied ({@link #eligible}).
   */
  public static Optional<XmlElement> receivedCopy(XmlElement message, Jid session) {
    requireNonNull(session, "session");
    if (!toAnotherResource(message, session) || !eligible(message)) {
      return Optional.empty();
    }
    return Optional.of(XmlElement.builder("message", CLIENT)
        .attribute("from", session.bare().toString())
        .attribute("to", session.toString())
        .attribute("type", message.attribute("type").orElse("normal"))
        .child(XmlElement.builder("received", NAMESPACE)
            .child(XmlElement.builder("forwarded", FORWARD).child(message).build())
            .build())
        .build());
  }

  /** Whether {@code message} is addressed to a resource of {@code session}'s user but another. */
  public static boolean toAnotherResource(XmlElement message, Jid session) {
    Optional<Jid> to = message.attribute("to").flatMap(Carbons::parse);
    return to.isPresent() && to.get().resource().isPresent()
        && to.get().bare().equals(session.bare()) && !to.get().equals(session);
  }

  /** The message a {@code <received/>} copy forwards, if {@code stanza} is one. */
  public static Optional<XmlElement> receivedMessage(XmlElement stanza) {
    return stanza.child("received", NAMESPACE)
        .flatMap(r -> r.child("forwarded", FORWARD))
        .flatMap(f -> f.child("message", CLIENT));
  }

  /** Whether {@code stanza} is a carbon copy made by the server. */
  public static boolean isCopy(XmlElement stanza) {
    return stanza.name().equals("message") && (stanza.child("sent", NAMESPACE).isPresent()
        || stanza.child("received", NAMESPACE).isPresent());
  }

  /**
   * The copy as {@code session} gets it (addressed to it), or empty when that session is the one
   * that sent the message.
   */
  public static Optional<XmlElement> forSession(XmlElement copy, Jid session) {
    requireNonNull(copy, "copy");
    requireNonNull(session, "session");
    Optional<String> origin = copy.child("sent", NAMESPACE)
        .flatMap(s -> s.child("forwarded", FORWARD))
        .flatMap(f -> f.child("message", CLIENT))
        .flatMap(m -> m.attribute("from"));
    if (origin.isPresent() && sameJid(origin.get(), session)) {
      return Optional.empty();
    }
    return Optional.of(copy.toBuilder().attribute("to", session.toString()).build());
  }

  private static boolean sameJid(String jid, Jid session) {
    return parse(jid).filter(session::equals).isPresent();
  }

  private static Optional<Jid> parse(String jid) {
    try {
      return Optional.of(Jid.parse(jid));
    } catch (JidMalformedException e) {
      return Optional.empty();
    }
  }
}

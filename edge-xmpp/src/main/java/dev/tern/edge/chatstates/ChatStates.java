package dev.tern.edge.chatstates;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.xml.XmlElement;
import java.util.Set;

/**
 * XEP-0085 standalone notifications ("composing", "paused"…) only matter while both parties are
 * online: like ejabberd and Prosody, Tern neither stores nor queues a message that carries
 * nothing else, and passes it to the recipient's online sessions only (XEP-0085 §5.5: they are
 * not for offline storage).
 */
public final class ChatStates {

  public static final String NAMESPACE = "http://jabber.org/protocol/chatstates";

  private static final Set<String> STATES = Set.of("active", "composing", "paused", "inactive", "gone");
  private static final String CLIENT = "jabber:client";
  /** What may accompany a standalone notification: hints (XEP-0334), origin-id (XEP-0359). */
  private static final Set<String> HARMLESS = Set.of("urn:xmpp:hints", "urn:xmpp:sid:0");

  private ChatStates() {}

  /**
   * Whether {@code message} is a standalone chat state notification: a chat state and nothing
   * worth keeping — no body, no receipt, marker or anything else but hints, origin-id and a
   * thread. Anything unknown makes the message an ordinary, stored one.
   */
  public static boolean isTransient(XmlElement message) {
    requireNonNull(message, "message");
    boolean state = false;
    for (XmlElement child : message.elements()) {
      if (child.namespace().equals(NAMESPACE) && STATES.contains(child.name())) {
        state = true;
      } else if (!HARMLESS.contains(child.namespace())
          && !(child.namespace().equals(CLIENT) && child.name().equals("thread"))) {
        return false;
      }
    }
    return state;
  }
}

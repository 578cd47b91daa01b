package dev.tern.edge.carbons;

import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Optional;

/** Whether one session asked for carbons (XEP-0280 §4), and the copies it sends and takes. */
public final class CarbonsSession implements SessionModule {

  private final Session session;
  private final EdgeMessaging messaging;
  private volatile boolean enabled;

  CarbonsSession(Session session, EdgeMessaging messaging) {
    this.session = session;
    this.messaging = messaging;
  }

  public boolean enabled() {
    return enabled;
  }

  /** XEP-0280 §4, §5: this session enables or disables carbon copies for itself. */
  public void enabled(boolean on) {
    enabled = on;
    session.resumableStateChanged();
  }

  /** A resumed stream takes over the setting it had (XEP-0198 §5). */
  public void restore(boolean on) {
    enabled = on;
  }

  /** XEP-0280 §6: the copy for the sender's other resources, once the message was accepted. */
  @Override
  public void accepted(XmlElement message) {
    Jid sender = session.boundJid();
    Carbons.sentCopy(message, sender)
        .ifPresent(copy -> messaging.pass(sender.bare().toString(), Xml.serialize(copy)));
  }

  /**
   * How a stored message for this session's user reaches this session: as it is, or, when it is
   * addressed to another of the user's resources and this session enabled carbons, as a received
   * copy (XEP-0280 §6), or not at all when such a message is not to be copied (§8: private).
   */
  public Optional<XmlElement> delivering(XmlElement message) {
    Jid self = session.boundJid();
    if (!enabled || !Carbons.toAnotherResource(message, self)) {
      return Optional.of(message);
    }
    return Carbons.receivedCopy(message, self);
  }

  /** Only sessions that enabled carbons get copies, and not the one that sent the message. */
  @Override
  public Pass passing(XmlElement stanza, String toJid) {
    if (!Carbons.isCopy(stanza)) {
      return Pass.NOT_MINE;
    }
    Optional<XmlElement> copy = enabled ? Carbons.forSession(stanza, session.boundJid())
        : Optional.empty();
    if (copy.isEmpty()) {
      return Pass.REFUSED;
    }
    session.sendFromAnyThread(copy.get());
    return Pass.TAKEN;
  }
}

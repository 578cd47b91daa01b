package dev.tern.edge.presence;

import dev.tern.edge.roster.RosterCodec;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One session's presence and roster interest, on the session's hooks. */
public final class PresenceSession implements SessionModule {

  private static final Logger log = LoggerFactory.getLogger(PresenceSession.class);
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Session session;
  private final SessionPresence presence;

  PresenceSession(Session session, SessionPresence presence) {
    this.session = session;
    this.presence = presence;
  }

  /** Whether the session sent available presence and has not gone unavailable since. */
  public boolean available() {
    return presence.available();
  }

  /** The last available presence broadcast, while the session is available. */
  public Optional<XmlElement> last() {
    return presence.last();
  }

  @Override
  public @Nullable CompletableFuture<?> inbound(XmlElement stanza) {
    if (stanza.name().equals("iq")) {
      if (isOwnRosterGet(stanza)) {
        presence.interested(); // RFC 6121 §2.2: roster pushes from now on
      }
      return null; // the roster module answers it
    }
    if (!stanza.name().equals("presence")) {
      return null;
    }
    presence.fromClient(session.boundJid(), stanza);
    if (stanza.attribute("to").isEmpty()) {
      session.resumableStateChanged(); // the broadcast presence changed, or went
      if (stanza.attribute("type").isEmpty()) {
        session.clientReady(); // initial presence: the client is ready for what waited
      }
    }
    return DONE;
  }

  private boolean isOwnRosterGet(XmlElement iq) {
    if (!iq.attribute("type").orElse("").equals("get")
        || iq.child("query", RosterCodec.NAMESPACE).isEmpty()) {
      return false;
    }
    Optional<String> to = iq.attribute("to");
    return to.isEmpty() || to.get().equals(session.domain())
        || to.get().equals(session.boundJid().bare().toString());
  }

  @Override
  public Pass passing(XmlElement stanza, String toJid) {
    SessionPresence.Incoming in = presence.incoming(session.boundJid(), toJid, stanza);
    in.deliver().ifPresent(session::sendFromAnyThread);
    return in.taken() ? Pass.TAKEN : Pass.REFUSED;
  }

  /**
   * A resumed session is available again with the presence it had (its contacts saw it go when
   * the old connection was lost), as if the client had sent it again.
   */
  @Override
  public void resumed(String stored) {
    if (stored.isEmpty()) {
      return;
    }
    Jid self = session.boundJid();
    try {
      presence.fromClient(self, Xml.parse(stored).toBuilder()
          .attribute("from", self.toString()).build());
    } catch (IllegalArgumentException e) {
      log.warn("the stored presence of {} does not parse; the client sends it again", self, e);
    }
  }

  @Override
  public void closed(Ending ending) {
    if (ending != Ending.RESUMED_ELSEWHERE) {
      session.jid().ifPresent(presence::ended); // RFC 6121 §4.5.2, also when the connection was lost
    }
  }
}

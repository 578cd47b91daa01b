package dev.tern.edge.presence;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.roster.EdgeRoster;
import dev.tern.edge.session.EdgeModule;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;

/**
 * RFC 6121 presence: broadcast and directed presence, subscriptions, probes, unavailable when a
 * session ends, and the roster pushes of interested sessions. The roster's IQs are the roster
 * module's; the routers keep subscriptions and fan presence out.
 */
public final class PresenceModule implements EdgeModule {

  private final SessionPresence.Wire wire;

  public PresenceModule(EdgeMessaging messaging, EdgeRoster roster) {
    this.wire = SessionPresence.Wire.of(requireNonNull(messaging, "messaging"),
        requireNonNull(roster, "roster"));
  }

  @Override
  public SessionModule attach(Session session) {
    return new PresenceSession(session, new SessionPresence(session.domain(), wire));
  }
}

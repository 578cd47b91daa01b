package dev.tern.edge.offline;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.session.EdgeModule;
import dev.tern.edge.session.LocalSessions;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;

/**
 * Stored messages reach a user's sessions here: live as routers publish them to the user's
 * subject, and from the unread queue when a session starts, after the edge's NATS connection
 * came back, and whenever deliveries were left to the queue for a client that did not keep up.
 */
public final class OfflineModule implements EdgeModule {

  private final EdgeMessaging messaging;
  private final LocalSessions sessions;

  public OfflineModule(EdgeMessaging messaging, LocalSessions sessions) {
    this.messaging = requireNonNull(messaging, "messaging");
    this.sessions = requireNonNull(sessions, "sessions");
  }

  @Override
  public SessionModule attach(Session session) {
    return new OfflineDelivery(session, messaging, sessions);
  }
}

package dev.tern.edge.carbons;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.session.EdgeModule;
import dev.tern.edge.session.LocalSessions;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;
import java.util.List;

/**
 * XEP-0280 Message Carbons: the enable and disable IQs, a {@code <sent/>} copy of each message a
 * session sends for the user's other sessions, and the copies that reach a session.
 */
public final class CarbonsModule implements EdgeModule {

  private final EdgeMessaging messaging;
  private final LocalSessions sessions;

  public CarbonsModule(EdgeMessaging messaging, LocalSessions sessions) {
    this.messaging = requireNonNull(messaging, "messaging");
    this.sessions = requireNonNull(sessions, "sessions");
  }

  @Override
  public List<IqHandler> iqHandlers() {
    return List.of(CarbonsHandler.enable(sessions), CarbonsHandler.disable(sessions));
  }

  @Override
  public SessionModule attach(Session session) {
    return new CarbonsSession(session, messaging);
  }
}

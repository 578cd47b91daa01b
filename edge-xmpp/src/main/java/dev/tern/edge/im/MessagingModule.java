package dev.tern.edge.im;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.session.EdgeModule;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;

/**
 * RFC 6121 §5 one-to-one messages: each one a router stores (its chat's next number, once per
 * XEP-0359 origin-id) before it counts as handled (persist before ack).
 */
public final class MessagingModule implements EdgeModule {

  private final EdgeMessaging messaging;

  public MessagingModule(EdgeMessaging messaging) {
    this.messaging = requireNonNull(messaging, "messaging");
  }

  @Override
  public SessionModule attach(Session session) {
    return new MessagingSession(session, messaging);
  }
}

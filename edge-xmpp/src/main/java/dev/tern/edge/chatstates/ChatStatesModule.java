package dev.tern.edge.chatstates;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.im.MessagingSession;
import dev.tern.edge.session.EdgeModule;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * XEP-0085 Chat State Notifications: a standalone notification passes to the recipient's online
 * sessions, stored nowhere and queued for nobody ({@link ChatStates#isTransient}).
 */
public final class ChatStatesModule implements EdgeModule {

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final EdgeMessaging messaging;

  public ChatStatesModule(EdgeMessaging messaging) {
    this.messaging = requireNonNull(messaging, "messaging");
  }

  @Override
  public SessionModule attach(Session session) {
    return new SessionModule() {
      @Override
      public @Nullable CompletableFuture<?> inbound(XmlElement stanza) {
        if (!stanza.name().equals("message") || !ChatStates.isTransient(stanza)) {
          return null;
        }
        Optional<Jid> to = MessagingSession.routableTo(stanza, session.domain());
        if (to.isEmpty()) {
          return null; // the messaging module answers it with the error
        }
        messaging.pass(to.get().toString(), Xml.serialize(stanza));
        session.accepted(stanza);
        return DONE;
      }
    };
  }
}

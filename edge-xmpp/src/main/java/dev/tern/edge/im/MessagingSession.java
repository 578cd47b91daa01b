package dev.tern.edge.im;

import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;
import dev.tern.edge.session.SessionState;
import dev.tern.routing.MessageFacts;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages one session sends: to a router at once, in the order received, the outcomes taken
 * in that order; tried again where it is safe.
 */
public final class MessagingSession implements SessionModule {

  private static final Logger log = LoggerFactory.getLogger(MessagingSession.class);
  /** How many times the edge asks routers to store a message that carries an origin-id. */
  private static final int SEND_ATTEMPTS = 3;
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Session session;
  private final EdgeMessaging messaging;
  /** The outcome of the last message sent to a router; the next one's is taken after it. */
  private CompletableFuture<?> chain = DONE;
  /**
   * Per recipient, the last message not yet stored or given up: the next one to the same chat
   * is sent when it is settled, so a retried message cannot be numbered after a later one.
   */
  private final Map<String, CompletableFuture<?>> unsettled = new HashMap<>();

  MessagingSession(Session session, EdgeMessaging messaging) {
    this.session = session;
    this.messaging = messaging;
  }

  /**
   * The user a chat or normal message is for, if it is one the routers take: to a user of
   * {@code domain} (RFC 6121 §5.1).
   */
  public static Optional<Jid> routableTo(XmlElement message, String domain) {
    String type = message.attribute("type").orElse("normal");
    if (!(type.equals("chat") || type.equals("normal"))) {
      return Optional.empty();
    }
    try {
      Jid to = Jid.parse(message.attribute("to").orElse(""));
      return to.local().isPresent() && to.domain().equals(domain) ? Optional.of(to)
          : Optional.empty();
    } catch (JidMalformedException e) {
      return Optional.empty();
    }
  }

  @Override
  public @Nullable CompletableFuture<?> inbound(XmlElement message) {
    if (!message.name().equals("message")) {
      return null;
    }
    Optional<Jid> to = routableTo(message, session.domain());
    if (to.isEmpty()) {
      if (!message.attribute("type").orElse("normal").equals("error")) {
        session.replyError(message, StanzaErrorCondition.SERVICE_UNAVAILABLE,
            "only messages between users of " + session.domain() + " are routed yet");
      }
      return DONE;
    }
    Optional<String> originId = message.child("origin-id", "urn:xmpp:sid:0")
        .flatMap(o -> o.attribute("id"));
    CompletableFuture<Void> handled = new CompletableFuture<>();
    String from = session.boundJid().toString();
    String recipient = to.get().bare().toString();
    String xml = Xml.serialize(message);
    // Read here, where the stanza is parsed already, so that no router parses it to find them.
    MessageFacts facts = MessageFacts.of(message);
    // Messages to different chats are sent at once; one to the same chat as an unsettled one
    // waits for it: the chat's sequencer numbers messages in the order they reach it, and a first
    // attempt that failed (a NATS server died mid-request) is tried again before the next one is
    // sent. The outcomes are taken in stream order, so acknowledgements and errors follow it.
    CompletableFuture<?> before = unsettled.getOrDefault(recipient, DONE);
    CompletableFuture<Throwable> outcome = before.handle((v, e) -> null)
        .thenCompose(v -> send(from, recipient, originId, facts, xml, SEND_ATTEMPTS))
        .handle((p, e) -> e);
    unsettled.put(recipient, outcome);
    outcome.whenComplete((e, unused) -> session.executor().execute(
        () -> unsettled.remove(recipient, outcome)));
    chain = chain.thenCompose(v -> outcome);
    chain.whenComplete((error, unused) -> session.executor().execute(() -> {
      boolean open = session.state() != SessionState.CLOSED;
      Optional<EdgeMessaging.Refused> refused = EdgeMessaging.Refused.of((Throwable) error);
      if (refused.isPresent() && open) {
        session.send(refused.get().errorReply(message)); // e.g. XEP-0191: one blocked the other
      } else if (error != null && open) {
        log.warn("message of {} not stored", from, (Throwable) error);
        session.replyError(message, StanzaErrorCondition.RESOURCE_CONSTRAINT,
            "not stored, send again");
      } else if (error == null) {
        session.accepted(message);
      }
      handled.complete(null);
    }));
    return handled;
  }

  /**
   * Asks a router to store the message. With an origin-id a failed attempt (a NATS server of
   * the region died mid-request, a router too slow) is tried again: the router stores an
   * origin-id once, so a retry of a request that did succeed is answered with the original.
   * Without one a retry could store it twice, so the client is told to resend instead.
   */
  private CompletableFuture<EdgeMessaging.Persisted> send(String from, String to,
      Optional<String> originId, MessageFacts facts, String xml, int attempts) {
    return messaging.send(from, to, originId, facts, xml).toCompletableFuture()
        .handle((p, e) -> {
          if (e == null) {
            return CompletableFuture.completedFuture(p);
          }
          if (originId.isEmpty() || attempts <= 1 || session.state() == SessionState.CLOSED) {
            return CompletableFuture.<EdgeMessaging.Persisted>failedFuture(e);
          }
          log.info("storing a message of {} failed ({}); trying again", from, e.toString());
          return send(from, to, originId, facts, xml, attempts - 1);
        })
        .thenCompose(f -> f);
  }
}

package dev.tern.edge.im;

import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.StanzaErrorType;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.routing.MessageFacts;
import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The edge's side of 1:1 messaging: asks a router of the region to persist a message, receives
 * the messages for users who have a session on this edge, reads and clears unread queues. Over
 * NATS in the product ({@link NatsEdgeMessaging}).
 */
public interface EdgeMessaging {

  /** A stored message, as a recipient's session gets it. */
  record Delivery(String stanzaId, String chat, long seq, Instant storedAt, String xml,
      boolean offline) {}

  /** A stanza passing to a user's sessions, stored nowhere (see {@link MessageWire#stanza}). */
  record Passing(String toJid, String xml) {}

  /** What the router answered once the message was durable. */
  record Persisted(String stanzaId, String chat, long seq) {}

  /**
   * A router refused the stanza (e.g. XEP-0191: one of the two blocked the other): the sender
   * gets {@link #errorReply} and nothing else happens to the stanza.
   */
  final class Refused extends RuntimeException {

    private final Refusal refusal;

    public Refused(Refusal refusal) {
      super(refusal.condition(), null, false, false);
      this.refusal = refusal;
    }

    public Refusal refusal() {
      return refusal;
    }

    /** The stanza error answering {@code stanza} (RFC 6120 §8.3), as the router named it. */
    public XmlElement errorReply(XmlElement stanza) {
      StanzaErrorCondition condition = StanzaErrorCondition.fromElementName(refusal.condition())
          .orElse(StanzaErrorCondition.UNDEFINED_CONDITION);
      StanzaErrorType type = StanzaErrorType.fromWireName(refusal.type())
          .orElse(condition.defaultType());
      XmlElement application = refusal.application().map(clark -> {
        int close = clark.indexOf('}');
        return XmlElement.builder(clark.substring(close + 1), clark.substring(1, close)).build();
      }).orElse(null);
      return StanzaErrorCondition.errorReply(stanza, condition, type, null, application);
    }

    /** The refusal behind {@code error}, unwrapping a stage's completion exception. */
    public static Optional<Refused> of(@Nullable Throwable error) {
      Throwable e = error;
      while (e != null && !(e instanceof Refused) && e.getCause() != null && e.getCause() != e) {
        e = e.getCause();
      }
      return e instanceof Refused r ? Optional.of(r) : Optional.empty();
    }
  }

  /** Unread messages of a batch; the router sends at most this many at once. */
  int BATCH = 100;

  /**
   * Completes once a router stored the message; fails if none did in time. {@code facts} is what
   * the session read in the stanza, so that the router need not parse {@code stanzaXml} again.
   */
  CompletionStage<Persisted> send(String fromFull, String toBare, Optional<String> originId,
      MessageFacts facts, String stanzaXml);

  /**
   * Whether a stanza stored nowhere (an IQ between users) may pass from {@code fromJid} to
   * {@code toJid} by their block lists (XEP-0191 §3.3): empty if so, else the refusal the sender
   * gets. Fails if no router answered in time.
   */
  CompletionStage<Optional<Refused>> refusal(String fromJid, String toJid);

  /**
   * What waits for {@code bareJid}, oldest first, a batch of at most {@link #BATCH}: the first,
   * or the one after {@code after}.
   */
  CompletionStage<List<Delivery>> unread(String bareJid, Optional<Delivery> after);

  /** A device of {@code bareJid} acknowledged the message: it leaves the unread queue. */
  void delivered(String bareJid, String chat, long seq);

  /** Sends a stanza to {@code toJid}'s sessions, wherever they are; nobody may take it. */
  void pass(String toJid, String stanzaXml);

  /**
   * Sends a stanza to {@code toJid}'s sessions; completes with whether a session took it (false
   * when no edge holds one, RFC 6121 §8.5.3.2.1's unavailable resource).
   */
  CompletionStage<Boolean> passConfirmed(String toJid, String stanzaXml);

  /**
   * Starts receiving {@code bareJid}'s messages on this edge (its first session here): stored
   * messages go to {@code deliver}, passing stanzas to {@code pass}; each says whether a session
   * here took it, and a router that asked is answered so (it tells it the user is online).
   */
  void online(String bareJid, Predicate<Delivery> deliver, Predicate<Passing> pass);

  /** Stops receiving {@code bareJid}'s messages here (its last session here ended). */
  void offline(String bareJid);

  /**
   * Calls {@code action} each time the connection to the routers is back with its
   * subscriptions, after a loss during which deliveries to this edge's users went nowhere.
   */
  void onResubscribed(Runnable action);

  /** Completes once the routers have the subscriptions made so far (a sender now reaches them). */
  CompletableFuture<Void> flush();
}

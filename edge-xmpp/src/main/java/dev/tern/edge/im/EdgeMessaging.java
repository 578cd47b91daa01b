package dev.tern.edge.im;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.StanzaErrorType;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.blocking.BlockingWire;
import dev.tern.routing.UnreadBatch;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The edge's side of 1:1 messaging over NATS: asks a router of the region to persist a message,
 * receives the messages for users who have a session on this edge (a subscription per such
 * user, so NATS interest routes them here from any region), reads and clears unread queues.
 */
public final class EdgeMessaging {

  /** A stored message, as a recipient's session gets it. */
  public record Delivery(String stanzaId, String chat, long seq, Instant storedAt, String xml,
      boolean offline) {}

  /** A stanza passing to a user's sessions, stored nowhere (see {@link MessageWire#stanza}). */
  public record Passing(String toJid, String xml) {}

  /** What the router answered once the message was durable. */
  public record Persisted(String stanzaId, String chat, long seq) {}

  /**
   * A router refused the stanza (e.g. XEP-0191: one of the two blocked the other): the sender
   * gets {@link #errorReply} and nothing else happens to the stanza.
   */
  public static final class Refused extends RuntimeException {

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

  private final Connection nats;
  private final String region;
  private final Duration timeout;
  private final Dispatcher dispatcher;
  private final Map<String, Subscription> online = new HashMap<>();

  public EdgeMessaging(Connection nats, String region, Duration timeout) {
    this.nats = requireNonNull(nats, "nats");
    this.region = requireNonNull(region, "region");
    this.timeout = requireNonNull(timeout, "timeout");
    this.dispatcher = nats.createDispatcher();
  }

  /** Completes once a router stored the message; fails if none did in time. */
  public CompletionStage<Persisted> send(String fromFull, String toBare, Optional<String> originId,
      String stanzaXml) {
    Headers h = new Headers().add(MessageWire.FROM, fromFull).add(MessageWire.TO, toBare);
    originId.ifPresent(o -> h.add(MessageWire.ORIGIN_ID, o));
    return nats.requestWithTimeout(NatsMessage.builder().subject(MessageWire.send(region))
            .headers(h).data(stanzaXml.getBytes(StandardCharsets.UTF_8)).build(), timeout)
        .thenApply(reply -> {
          Headers r = reply.getHeaders();
          Refusal.from(r).ifPresent(refusal -> {
            throw new Refused(refusal);
          });
          if (r == null || r.getFirst(MessageWire.STANZA_ID) == null) {
            throw new IllegalStateException("the router did not store the message");
          }
          return new Persisted(r.getFirst(MessageWire.STANZA_ID), r.getFirst(MessageWire.CHAT),
              Long.parseLong(r.getFirst(MessageWire.SEQ)));
        });
  }

  /**
   * Whether a stanza stored nowhere (an IQ between users) may pass from {@code fromJid} to
   * {@code toJid} by their block lists (XEP-0191 §3.3): empty if so, else the refusal the sender
   * gets. Fails if no router answered in time.
   */
  public CompletionStage<Optional<Refused>> refusal(String fromJid, String toJid) {
    return nats.requestWithTimeout(NatsMessage.builder().subject(BlockingWire.check(region))
            .headers(new Headers().add(MessageWire.FROM, fromJid).add(MessageWire.TO, toJid))
            .data(new byte[0]).build(), timeout)
        .thenApply(reply -> Refusal.from(reply.getHeaders()).map(Refused::new));
  }

  /** Unread messages of a batch; the router sends at most this many at once. */
  public static final int BATCH = 100;

  /**
   * What waits for {@code bareJid}, oldest first, a batch of at most {@link #BATCH}: the first,
   * or the one after {@code after}.
   */
  public CompletionStage<List<Delivery>> unread(String bareJid, Optional<Delivery> after) {
    Headers h = new Headers().add(MessageWire.USER, bareJid);
    after.ifPresent(a -> h.add(MessageWire.STORED_AT, a.storedAt().toString())
        .add(MessageWire.CHAT, a.chat()).add(MessageWire.SEQ, Long.toString(a.seq())));
    return nats.requestWithTimeout(NatsMessage.builder().subject(MessageWire.unread(region))
            .headers(h).data(new byte[0]).build(), timeout)
        .thenApply(reply -> {
          if (reply.getHeaders() != null && reply.getHeaders().getFirst(MessageWire.ERROR) != null) {
            throw new IllegalStateException("the router could not read the unread queue");
          }
          return UnreadBatch.decode(reply.getData()).stream()
              .map(e -> new Delivery(e.stanzaId(), e.chat(), e.seq(), e.storedAt(),
                  e.stanzaXml(), true))
              .toList();
        });
  }

  /** A device of {@code bareJid} acknowledged the message: it leaves the unread queue. */
  public void delivered(String bareJid, String chat, long seq) {
    nats.publish(NatsMessage.builder().subject(MessageWire.delivered(region))
        .headers(new Headers().add(MessageWire.USER, bareJid).add(MessageWire.CHAT, chat)
            .add(MessageWire.SEQ, Long.toString(seq)))
        .data(new byte[0]).build());
  }

  /** Sends a stanza to {@code toJid}'s sessions, wherever they are; nobody may take it. */
  public void pass(String toJid, String stanzaXml) {
    nats.publish(MessageWire.stanza(toJid, stanzaXml));
  }

  /**
   * Sends a stanza to {@code toJid}'s sessions; completes with whether a session took it (false
   * when no edge holds one, RFC 6121 §8.5.3.2.1's unavailable resource).
   */
  public CompletionStage<Boolean> passConfirmed(String toJid, String stanzaXml) {
    return nats.requestWithTimeout(MessageWire.stanza(toJid, stanzaXml), timeout)
        .handle((reply, error) -> error == null);
  }

  /**
   * Starts receiving {@code bareJid}'s messages on this edge (its first session here): stored
   * messages go to {@code deliver}, passing stanzas to {@code pass}; each says whether a session
   * here took it, and a router that asked is answered so (it tells it the user is online).
   */
  public synchronized void online(String bareJid, Predicate<Delivery> deliver,
      Predicate<Passing> pass) {
    online.computeIfAbsent(bareJid, b -> dispatcher.subscribe(MessageWire.user(b),
        (Message m) -> {
          Headers h = m.getHeaders();
          boolean taken;
          if (MessageWire.KIND_STANZA.equals(h.getFirst(MessageWire.KIND))) {
            taken = pass.test(new Passing(h.getFirst(MessageWire.TO),
                new String(m.getData(), StandardCharsets.UTF_8)));
          } else {
            taken = deliver.test(new Delivery(h.getFirst(MessageWire.STANZA_ID),
                h.getFirst(MessageWire.CHAT), Long.parseLong(h.getFirst(MessageWire.SEQ)),
                Instant.parse(h.getFirst(MessageWire.STORED_AT)),
                new String(m.getData(), StandardCharsets.UTF_8), false));
          }
          if (taken && m.getReplyTo() != null) {
            nats.publish(m.getReplyTo(), new byte[0]);
          }
        }));
  }

  /** Stops receiving {@code bareJid}'s messages here (its last session here ended). */
  public synchronized void offline(String bareJid) {
    Subscription s = online.remove(bareJid);
    if (s != null) {
      dispatcher.unsubscribe(s);
    }
  }

  /**
   * Calls {@code action} each time the NATS connection is back with its subscriptions, after a
   * loss during which deliveries to this edge's users went nowhere.
   */
  public void onResubscribed(Runnable action) {
    requireNonNull(action, "action");
    nats.addConnectionListener((conn, event) -> {
      if (event == io.nats.client.ConnectionListener.Events.RESUBSCRIBED) {
        action.run();
      }
    });
  }

  /** Completes once NATS has the subscriptions made so far (so a sender now reaches them). */
  public CompletableFuture<Void> flush() {
    return CompletableFuture.runAsync(() -> {
      try {
        nats.flush(timeout);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }
}

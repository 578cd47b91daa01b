package dev.tern.router;

import static java.util.Objects.requireNonNull;

import dev.tern.router.blocking.MessageGate;
import dev.tern.router.push.OfflineHook;
import dev.tern.routing.MessageWire;
import dev.tern.routing.RouterSubjects;
import dev.tern.routing.UnreadBatch;
import dev.tern.storage.archive.ArchiveStore;
import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.MessageStore;
import dev.tern.storage.messages.StoredMessage;
import dev.tern.storage.messages.UnreadQueue;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's part of 1:1 messaging: persists a message (its chat's next number, once per
 * origin-id, and the recipient's unread entry) and only then answers the edge, then publishes it
 * to the edges that hold the recipient's sessions. Serves unread queues and their removal.
 */
final class MessageRouter {

  private static final Logger log = LoggerFactory.getLogger(MessageRouter.class);
  static final int UNREAD_BATCH = 100;

  private final Connection nats;
  private final MessageStore messages;
  private final UnreadQueue unread;
  private final ArchiveStore archive;
  private final Optional<String> haltAfterPersist;
  private final OfflineHook offline;
  private final java.time.Duration deliveryTimeout;
  private final ReceiptRouter receipts;
  private final MessageGate blocking;

  MessageRouter(Connection nats, MessageStore messages, UnreadQueue unread, ArchiveStore archive,
      OfflineHook offline, java.time.Duration deliveryTimeout, Optional<String> haltAfterPersist,
      ReceiptRouter receipts, MessageGate blocking) {
    this.nats = requireNonNull(nats, "nats");
    this.messages = requireNonNull(messages, "messages");
    this.unread = requireNonNull(unread, "unread");
    this.archive = requireNonNull(archive, "archive");
    this.offline = requireNonNull(offline, "offline");
    this.deliveryTimeout = requireNonNull(deliveryTimeout, "deliveryTimeout");
    this.haltAfterPersist = requireNonNull(haltAfterPersist, "haltAfterPersist");
    this.receipts = requireNonNull(receipts, "receipts");
    this.blocking = requireNonNull(blocking, "blocking");
  }

  /** A stored message, and whether this request stored it (or found it stored before). */
  private record Sent(StoredMessage message, boolean isNew) {}

  void subscribe(Dispatcher dispatcher, String region) {
    dispatcher.subscribe(MessageWire.send(region), RouterSubjects.QUEUE_GROUP, this::onSend);
    dispatcher.subscribe(MessageWire.unread(region), RouterSubjects.QUEUE_GROUP, this::onUnread);
    dispatcher.subscribe(MessageWire.delivered(region), RouterSubjects.QUEUE_GROUP,
        this::onDelivered);
  }

  private void onSend(Message request) {
    // XEP-0191 §3.3: refused before it is stored, queued or delivered when one blocked the other
    blocking.admit(request, this::persist);
  }

  private void persist(Message request) {
    Headers h = request.getHeaders();
    String from = h.getFirst(MessageWire.FROM);
    String to = h.getFirst(MessageWire.TO);
    String fromBare;
    try {
      fromBare = Jid.parse(from).bare().toString();
    } catch (JidMalformedException e) { // the edge sends its session's JID: never in practice
      log.warn("message from a malformed JID not stored: {}", e.getMessage());
      nats.publish(NatsMessage.builder().subject(request.getReplyTo())
          .headers(new Headers().add(MessageWire.ERROR, "not stored")).data(new byte[0]).build());
      return;
    }
    Optional<String> origin = Optional.ofNullable(h.getFirst(MessageWire.ORIGIN_ID));
    String xml = new String(request.getData(), StandardCharsets.UTF_8);
    // XEP-0359: a resend of a stored message is answered with the original, not delivered again.
    CompletionStage<Optional<StoredMessage>> earlier = origin.isPresent()
        ? messages.findByOrigin(fromBare, origin.get())
        : CompletableFuture.completedFuture(Optional.empty());
    // Both archives index it before the ack (XEP-0313); a resend indexes it again, idempotently,
    // which completes an index a crash cut short. Receipts (XEP-0184, XEP-0333): indexed before
    // the recipient can see the message; a receipt's status is recorded before the sender's ack,
    // also again for a resend.
    earlier.thenCompose(found -> found.<CompletionStage<Sent>>map(
                m -> archive.add(m).thenCompose(v -> receipts.index(m))
                    .thenApply(v -> new Sent(m, false)))
            .orElseGet(() -> messages.append(ChatId.direct(fromBare, to), fromBare, to, origin, xml)
                .thenCompose(m -> receipts.index(m).thenCompose(v -> unread.add(to, m))
                    .toCompletableFuture()
                    .thenCombine(archive.add(m), (a, b) -> new Sent(m, true)))))
        .thenCompose(sent -> receipts.acknowledge(sent.message()).thenApply(v -> sent))
        .whenComplete((sent, error) -> {
          if (error != null) {
            log.warn("message from {} to {} not stored", fromBare, to, error);
            Headers reply = new Headers().add(MessageWire.ERROR, "not stored");
            nats.publish(NatsMessage.builder().subject(request.getReplyTo()).headers(reply)
                .data(new byte[0]).build());
            return;
          }
          StoredMessage m = sent.message();
          if (sent.isNew() && haltAfterPersist.isPresent() && origin.equals(haltAfterPersist)) {
            log.error("fault injection: halting after storing the message with origin-id {}",
                origin.get());
            Runtime.getRuntime().halt(137);
          }
          // Durable: the sender's edge may now acknowledge it; then it goes to the recipient.
          nats.publish(NatsMessage.builder().subject(request.getReplyTo())
              .headers(describe(m)).data(new byte[0]).build());
          // A resend is published again too: the first attempt may have stopped (a router's
          // crash) between storing and publishing. A session that already has it drops the
          // repeat by its stanza-id; a device that reconnected meanwhile may get it twice, with
          // the same stanza-id (at-least-once delivery).
          NatsMessage delivery = NatsMessage.builder().subject(MessageWire.user(to))
              .headers(describe(m)).data(m.stanzaXml().getBytes(StandardCharsets.UTF_8)).build();
          if (!sent.isNew()) {
            nats.publish(delivery);
            return;
          }
          // Asked, not just published: an edge that handed it to a session answers, so a
          // message no device took is known to wait for an offline user (push starts there).
          nats.requestWithTimeout(delivery, deliveryTimeout).whenComplete((reply, noEdge) -> {
            if (noEdge != null) {
              offline.queuedForOffline(m);
            }
          });
        });
  }

  private void onUnread(Message request) {
    Headers h = request.getHeaders();
    String user = h.getFirst(MessageWire.USER);
    String after = h.getFirst(MessageWire.STORED_AT);
    CompletionStage<java.util.List<StoredMessage>> batch = after == null
        ? unread.peek(user, UNREAD_BATCH)
        : unread.peekAfter(user, java.time.Instant.parse(after), new ChatId(h.getFirst(MessageWire.CHAT)),
            Long.parseLong(h.getFirst(MessageWire.SEQ)), UNREAD_BATCH);
    batch.whenComplete((list, error) -> {
      if (error != null) {
        log.warn("unread queue of {} not read", user, error);
        nats.publish(NatsMessage.builder().subject(request.getReplyTo())
            .headers(new Headers().add(MessageWire.ERROR, "not read")).data(new byte[0]).build());
        return;
      }
      nats.publish(NatsMessage.builder().subject(request.getReplyTo())
          .data(UnreadBatch.encode(list)).build());
    });
  }

  private void onDelivered(Message message) {
    Headers h = message.getHeaders();
    unread.remove(h.getFirst(MessageWire.USER), new ChatId(h.getFirst(MessageWire.CHAT)),
            Long.parseLong(h.getFirst(MessageWire.SEQ)))
        .whenComplete((v, error) -> {
          if (error != null) {
            log.warn("unread entry not removed; it will be delivered again", error);
          }
        });
  }

  static Headers describe(StoredMessage m) {
    return new Headers()
        .add(MessageWire.STANZA_ID, m.stanzaId())
        .add(MessageWire.CHAT, m.chat().value())
        .add(MessageWire.SEQ, Long.toString(m.seq()))
        .add(MessageWire.STORED_AT, m.storedAt().toString())
        .add(MessageWire.FROM, m.sender())
        .add(MessageWire.TO, m.recipient());
  }
}

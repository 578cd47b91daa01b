package dev.tern.router;

import static java.util.Objects.requireNonNull;

import dev.tern.router.chats.ChatHomes;
import dev.tern.router.chats.ChatLanes;
import dev.tern.router.chats.ChatSequencer;
import dev.tern.router.chats.InFlightLimit;
import dev.tern.router.chats.OriginMemory;
import dev.tern.router.push.OfflineHook;
import dev.tern.routing.MessageFacts;
import dev.tern.routing.MessageWire;
import dev.tern.routing.RouterSubjects;
import dev.tern.routing.UnreadBatch;
import dev.tern.routing.WireText;
import dev.tern.storage.archive.ArchiveStore;
import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.ChatSeq;
import dev.tern.storage.messages.MessageStore;
import dev.tern.storage.messages.OriginRecord;
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
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's part of 1:1 messaging.
 *
 * <p>An edge's request reaches any router of its region ({@link MessageWire#send}). That router
 * finds the chat's home region and shard, and the router holding the shard's lease, the chat's
 * one sequencer: itself, or another router in either region, to which it forwards the request
 * ({@link MessageWire#owner}) and whose answer it passes back. Requests of one chat go on in the
 * order they arrived ({@link ChatLanes}), so the sequencer numbers a sender's messages in the
 * order it sent them.
 *
 * <p>The sequencer gives the message the shard's next number from memory, then persists it with
 * plain writes: with an origin-id first the origin record, then at once the message, its receipt
 * index and unread entry, and both archives; only then does the edge get its answer, and the
 * message goes to the edges that hold the recipient's sessions, in the chat's order. A resend
 * (same sender and origin-id) is answered from memory or from the origin record, and completes
 * whatever its first attempt may have left unwritten.
 */
final class MessageRouter {

  private static final Logger log = LoggerFactory.getLogger(MessageRouter.class);
  static final int UNREAD_BATCH = 100;
  /** The header a forwarded request names the chat's home region in. */
  static final String CHAT_HOME = "Tern-Chat-Home";
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Connection nats;
  private final MessageStore messages;
  private final UnreadQueue unread;
  private final ArchiveStore archive;
  private final Optional<String> haltAfterPersist;
  private final OfflineHook offline;
  private final java.time.Duration deliveryTimeout;
  private final ReceiptRouter receipts;
  private final MessageGate blocking;
  private final ChatSequencer sequencer;
  private final ChatHomes homes;
  private final ChatLanes<ChatId> arrivals = new ChatLanes<>();
  private final ChatLanes<ChatId> deliveries = new ChatLanes<>();
  private final OriginMemory origins = new OriginMemory(100_000);
  /**
   * Messages being written at once. Each is about fourteen statements; 64 of them stay well
   * under the 2 048 statements two connections carry, leaving room for reads and lease renewals.
   */
  private InFlightLimit writing = new InFlightLimit(WRITING,
      java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tern-sequencer");
        t.setDaemon(true);
        return t;
      }));
  /**
   * Messages waiting to be written beyond which new ones are refused at once ("not stored": the
   * client is told to send again) rather than queued for longer than an edge waits.
   */
  static final int MAX_WAITING = 4_096;
  static final int WRITING = 64;
  /** How long a message waits for its chat to have a sequencer again before it is refused. */
  static final java.time.Duration OWNER_WAIT = java.time.Duration.ofSeconds(15);
  private java.time.Duration ownerWait = OWNER_WAIT;
  private static final java.time.Duration OWNER_RETRY = java.time.Duration.ofMillis(250);
  /**
   * How long a forwarded message waits for its sequencer: under the 30 s an edge waits, and long
   * enough for a busy sequencer's queue, so "not stored" is not said of what it then stores.
   */
  static final java.time.Duration FORWARD_TIMEOUT = java.time.Duration.ofSeconds(25);

  MessageRouter(Connection nats, MessageStore messages, UnreadQueue unread, ArchiveStore archive,
      OfflineHook offline, java.time.Duration deliveryTimeout, Optional<String> haltAfterPersist,
      ReceiptRouter receipts, MessageGate blocking, ChatSequencer sequencer, ChatHomes homes) {
    this.nats = requireNonNull(nats, "nats");
    this.messages = requireNonNull(messages, "messages");
    this.unread = requireNonNull(unread, "unread");
    this.archive = requireNonNull(archive, "archive");
    this.offline = requireNonNull(offline, "offline");
    this.deliveryTimeout = requireNonNull(deliveryTimeout, "deliveryTimeout");
    this.haltAfterPersist = requireNonNull(haltAfterPersist, "haltAfterPersist");
    this.receipts = requireNonNull(receipts, "receipts");
    this.blocking = requireNonNull(blocking, "blocking");
    this.sequencer = requireNonNull(sequencer, "sequencer");
    this.homes = requireNonNull(homes, "homes");
  }

  /**
   * What is in progress, for the log: chats with requests queued or running, messages being
   * written and waiting to be, chats with deliveries in order; empty when idle.
   */
  String backlog() {
    int chats = arrivals.busy();
    int running = writing.running();
    int waiting = writing.waiting();
    int delivering = deliveries.busy();
    return chats + running + waiting + delivering == 0 ? "" : chats + " chats with requests in"
        + " progress, " + running + " messages being written, " + waiting + " waiting to be, "
        + delivering + " chats delivering";
  }

  /** This router's lease of the chat's shard lapsed before the message's turn came. */
  private static final class NotSequencer extends RuntimeException {
    NotSequencer() {
      super("not the chat's sequencer", null, false, false);
    }
  }

  /** For tests: messages start being written on {@code starts} (e.g. the calling thread). */
  MessageRouter startingWritesOn(java.util.concurrent.Executor starts) {
    this.writing = new InFlightLimit(WRITING, starts);
    return this;
  }

  /** For tests: how long a message waits for its chat to have a sequencer. */
  MessageRouter waitingForOwners(java.time.Duration wait) {
    this.ownerWait = requireNonNull(wait, "wait");
    return this;
  }

  /** A stored message, and whether this request stored it (or found it stored before). */
  private record Sent(StoredMessage message, boolean isNew) {}

  /**
   * What a send request names, and until when (nanoTime) it may wait for its chat's sequencer.
   */
  private record Request(Message message, String fromBare, String to, ChatId chat,
      Optional<String> origin, long ownerDeadline) {}

  void subscribe(Dispatcher dispatcher, String region) {
    dispatcher.subscribe(MessageWire.send(region), RouterSubjects.QUEUE_GROUP, this::onSend);
    dispatcher.subscribe(MessageWire.owner(sequencer.name()), this::onOwned);
    dispatcher.subscribe(MessageWire.unread(region), RouterSubjects.QUEUE_GROUP, this::onUnread);
    dispatcher.subscribe(MessageWire.delivered(region), RouterSubjects.QUEUE_GROUP,
        this::onDelivered);
  }

  private Optional<Request> read(Message message) {
    Headers h = message.getHeaders();
    try {
      String fromBare = Jid.parse(WireText.header(h, MessageWire.FROM)).bare().toString();
      String to = Jid.parse(WireText.header(h, MessageWire.TO)).bare().toString();
      return Optional.of(new Request(message, fromBare, to, ChatId.direct(fromBare, to),
          Optional.ofNullable(WireText.header(h, MessageWire.ORIGIN_ID)),
          System.nanoTime() + ownerWait.toNanos()));
    } catch (JidMalformedException | RuntimeException e) { // the edge sends valid JIDs
      log.warn("message with bad addressing not stored: {}", e.getMessage());
      refuse(message);
      return Optional.empty();
    }
  }

  private void onSend(Message message) {
    read(message).ifPresent(r -> arrivals.run(r.chat(), () ->
        // XEP-0191 §3.3: refused before it is stored, queued or delivered when one blocked the other
        blocking.admit(message).thenCompose(admitted -> !admitted ? DONE
            : homes.of(r.chat()).handle((home, error) -> {
              if (error != null) {
                log.warn("home of chat {} not read; message not stored", r.chat().value(), error);
                refuse(message);
                return DONE;
              }
              return dispatch(r, home, r.ownerDeadline());
            }).thenCompose(dispatched -> dispatched))
        .whenComplete((v, error) -> {
          if (error != null) { // a bug: the edge must hear something all the same
            log.error("message from {} to {} not handled", r.fromBare(), r.to(), error);
            refuse(message);
          }
        })));
  }

  /** A request another router forwarded to this one as the chat's sequencer. */
  private void onOwned(Message message) {
    String home = WireText.header(message.getHeaders(), CHAT_HOME);
    read(message).ifPresent(r -> arrivals.run(r.chat(), () -> {
      ChatSequencer.Shard shard = sequencer.shard(r.chat(), home == null ? "" : home);
      sequence(r, shard);
      return DONE;
    }));
  }

  /** Numbers the message here, or forwards it to the router that numbers its chat. */
  private CompletableFuture<Void> dispatch(Request r, String home, long deadline) {
    ChatSequencer.Shard shard = sequencer.shard(r.chat(), home);
    Optional<String> owner = sequencer.ownerOf(shard);
    if (owner.isEmpty()) {
      // Between two owners (a lapsed lease not yet taken, a lease given back and not yet taken
      // again): the chat's later requests wait behind this one, so its order holds.
      if (System.nanoTime() - deadline < 0) {
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(
                OWNER_RETRY.toMillis(), TimeUnit.MILLISECONDS))
            .thenCompose(v -> dispatch(r, home, deadline));
      }
      log.info("chat {} (shard {}/{}) has had no sequencer for {}; message not stored",
          r.chat().value(), home, shard.index(), ownerWait);
      refuse(r.message());
    } else if (owner.get().equals(sequencer.name())) {
      sequence(r, shard);
    } else {
      forward(r, home, owner.get());
    }
    return DONE;
  }

  private void forward(Request r, String home, String owner) {
    Message m = r.message();
    Headers headers = new Headers(m.getHeaders()).put(CHAT_HOME, home);
    nats.requestWithTimeout(NatsMessage.builder().subject(MessageWire.owner(owner))
            .headers(headers).data(m.getData()).build(), FORWARD_TIMEOUT)
        .whenComplete((reply, error) -> {
          if (error != null) {
            log.warn("sequencer {} of chat {} did not answer: {}", owner, r.chat().value(),
                error.toString());
            refuse(m);
            return;
          }
          nats.publish(NatsMessage.builder().subject(m.getReplyTo())
              .headers(reply.getHeaders()).data(reply.getData()).build());
        });
  }

  /** On the chat's sequencer, in arrival order: number it, then persist it, answer, deliver. */
  private void sequence(Request r, ChatSequencer.Shard shard) {
    CompletableFuture<StoredMessage> attempt = new CompletableFuture<>();
    Optional<CompletableFuture<StoredMessage>> earlier = r.origin()
        .flatMap(o -> origins.claim(r.fromBare(), o, attempt));
    CompletableFuture<Sent> sent;
    if (earlier.isPresent()) { // XEP-0359: a resend of what this sequencer stored recently
      sent = earlier.get().thenApply(m -> new Sent(m, false));
    } else {
      if (writing.waiting() >= MAX_WAITING) {
        log.warn("{} messages wait to be stored: message from {} refused", writing.waiting(),
            r.fromBare());
        attempt.completeExceptionally(new IllegalStateException("overloaded"));
        refuse(r.message());
        return;
      }
      String xml = new String(r.message().getData(), StandardCharsets.UTF_8);
      // What the edge read in the stanza; an older edge's request says nothing, so read it here.
      MessageFacts facts = MessageFacts.from(r.message().getHeaders())
          .orElseGet(() -> MessageFacts.parse(xml));
      // Numbered when its turn to be written comes (turns are taken in arrival order): its
      // number's time is then when it was written, not when it started to wait, so the stored
      // times of what a session receives follow the order it receives them in.
      sent = writing.run(() -> {
        OptionalLong seq = sequencer.next(shard);
        if (seq.isEmpty()) {
          log.info("lease of shard {}/{} lapsed; message not stored", shard.home(),
              shard.index());
          return CompletableFuture.failedFuture(new NotSequencer());
        }
        StoredMessage fresh = new StoredMessage(r.chat(), seq.getAsLong(),
            UUID.randomUUID().toString(), r.fromBare(), r.to(), r.origin(), xml,
            ChatSeq.time(seq.getAsLong()));
        return r.origin().isPresent() ? persistOnce(fresh, facts)
            : writeAll(fresh, facts).thenApply(v -> new Sent(fresh, true));
      });
      sent.whenComplete((s, error) -> {
        if (error != null) {
          attempt.completeExceptionally(error);
        } else {
          attempt.complete(s.message());
        }
      });
    }
    CompletableFuture<Sent> answered =
        sent.whenComplete((s, error) -> answer(r, shard, s, error));
    // Deliveries leave in the chat's order, each once it is stored and answered.
    deliveries.run(r.chat(), () -> answered.handle((s, error) -> {
      if (error == null) {
        deliver(s);
      }
      return null;
    }));
  }

  /**
   * A message with an origin-id this sequencer does not remember: stored unless its origin
   * record shows an earlier attempt, which is then completed and answered instead.
   */
  private CompletionStage<Sent> persistOnce(StoredMessage fresh, MessageFacts facts) {
    return messages.findByOrigin(fresh.sender(), fresh.originId().orElseThrow())
        .thenCompose(found -> {
          if (found.isEmpty()) {
            return messages.recordOrigin(OriginRecord.of(fresh, false))
                .thenCompose(v -> writeAll(fresh, facts))
                .thenApply(v -> new Sent(fresh, true));
          }
          OriginRecord first = found.get();
          return messages.find(first.chat(), first.seq()).thenCompose(row -> {
            StoredMessage m = row.orElseGet(() -> first.message(fresh.stanzaXml()));
            if (first.complete()) {
              return (row.isPresent() ? DONE : messages.store(m))
                  .thenApply(v -> new Sent(m, false));
            }
            // The first attempt may have stopped anywhere: every write again (each idempotent);
            // it never reached the recipient, which only happens after all of them. The facts
            // are the request's only if this resend is the stanza stored; else read the stored one.
            MessageFacts stored = m.stanzaXml().equals(fresh.stanzaXml()) ? facts
                : MessageFacts.parse(m.stanzaXml());
            return writeAll(m, stored).thenApply(v -> new Sent(m, true));
          });
        });
  }

  /**
   * The message, then at once everything that refers to it: the receipt index then the unread
   * entry (a receipt never names a message not yet indexed) and both archives (XEP-0313), so no
   * reference ever points at a message not yet written; then the receipts and markers it carries
   * advance the messages they name (XEP-0184, XEP-0333). {@code facts} is what was read of
   * {@code m}'s stanza: its id and those receipts.
   */
  private CompletionStage<Void> writeAll(StoredMessage m, MessageFacts facts) {
    return messages.store(m).thenCompose(stored -> CompletableFuture.allOf(
            receipts.index(m, facts).thenCompose(v -> unread.add(m.recipient(), m))
                .toCompletableFuture(),
            archive.add(m).toCompletableFuture()))
        .thenCompose(v -> receipts.acknowledge(m, facts));
  }

  private void answer(Request r, ChatSequencer.Shard shard, Sent sent, Throwable error) {
    if (error != null && (error instanceof NotSequencer
        || error.getCause() instanceof NotSequencer)) {
      if (System.nanoTime() - r.ownerDeadline() >= 0) {
        refuse(r.message());
        return;
      }
      // The lease went before the message's turn (given back to the chat's home region, or
      // lapsed): nothing of it was written, so it waits for the shard's next owner like a message
      // that arrived between two owners, instead of being refused to a sender who would then
      // have to send it again.
      CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(
              OWNER_RETRY.toMillis(), TimeUnit.MILLISECONDS))
          .thenCompose(v -> dispatch(r, shard.home(), r.ownerDeadline()))
          .whenComplete((v, e) -> {
            if (e != null) {
              log.error("message from {} to {} not handled", r.fromBare(), r.to(), e);
              refuse(r.message());
            }
          });
      return;
    }
    if (error != null) {
      log.warn("message from {} to {} not stored", r.fromBare(), r.to(), error);
      refuse(r.message());
      return;
    }
    StoredMessage m = sent.message();
    if (sent.isNew() && haltAfterPersist.isPresent() && r.origin().equals(haltAfterPersist)) {
      log.error("fault injection: halting after storing the message with origin-id {}",
          r.origin().get());
      Runtime.getRuntime().halt(137);
    }
    // Durable: the sender's edge may now acknowledge it.
    nats.publish(NatsMessage.builder().subject(r.message().getReplyTo())
        .headers(describe(m)).data(new byte[0]).build());
    if (sent.isNew() && m.originId().isPresent()) {
      messages.recordOrigin(OriginRecord.of(m, true)).whenComplete((v, e) -> {
        if (e != null) { // a resend will write it all again: harmless
          log.debug("origin record of {} not marked complete: {}", m.stanzaId(), e.toString());
        }
      });
    }
  }

  private void deliver(Sent sent) {
    StoredMessage m = sent.message();
    // A resend is published again too: the first attempt may have stopped (a router's crash)
    // between storing and publishing. A session that already has it drops the repeat by its
    // stanza-id; a device that reconnected meanwhile may get it twice, with the same stanza-id
    // (at-least-once delivery).
    NatsMessage delivery = NatsMessage.builder().subject(MessageWire.user(m.recipient()))
        .headers(describe(m)).data(m.stanzaXml().getBytes(StandardCharsets.UTF_8)).build();
    if (!sent.isNew()) {
      nats.publish(delivery);
      return;
    }
    // Asked, not just published: an edge that handed it to a session answers, so a message no
    // device took is known to wait for an offline user (push starts there).
    nats.requestWithTimeout(delivery, deliveryTimeout).whenComplete((reply, noEdge) -> {
      if (noEdge != null) {
        offline.queuedForOffline(m);
      }
    });
  }

  private void refuse(Message request) {
    nats.publish(NatsMessage.builder().subject(request.getReplyTo())
        .headers(new Headers().add(MessageWire.ERROR, "not stored")).data(new byte[0]).build());
  }

  private void onUnread(Message request) {
    Headers h = request.getHeaders();
    String user = WireText.header(h, MessageWire.USER);
    String after = WireText.header(h, MessageWire.STORED_AT);
    CompletionStage<java.util.List<StoredMessage>> batch = after == null
        ? unread.peek(user, UNREAD_BATCH)
        : unread.peekAfter(user, java.time.Instant.parse(after),
            new ChatId(WireText.header(h, MessageWire.CHAT)),
            Long.parseLong(WireText.header(h, MessageWire.SEQ)), UNREAD_BATCH);
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
    unread.remove(WireText.header(h, MessageWire.USER),
            new ChatId(WireText.header(h, MessageWire.CHAT)),
            Long.parseLong(WireText.header(h, MessageWire.SEQ)))
        .whenComplete((v, error) -> {
          if (error != null) {
            log.warn("unread entry not removed; it will be delivered again", error);
          }
        });
  }

  static Headers describe(StoredMessage m) {
    return new Headers()
        .add(MessageWire.STANZA_ID, WireText.encode(m.stanzaId()))
        .add(MessageWire.CHAT, WireText.encode(m.chat().value()))
        .add(MessageWire.SEQ, Long.toString(m.seq()))
        .add(MessageWire.STORED_AT, WireText.encode(m.storedAt().toString()))
        .add(MessageWire.FROM, WireText.encode(m.sender()))
        .add(MessageWire.TO, WireText.encode(m.recipient()));
  }
}

package dev.tern.router;

import static java.util.Objects.requireNonNull;

import dev.tern.routing.MessageFacts;
import dev.tern.routing.MessageWire;
import dev.tern.routing.ReceiptWire;
import dev.tern.routing.RouterSubjects;
import dev.tern.routing.WireText;
import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.MessageStore;
import dev.tern.storage.messages.StoredMessage;
import dev.tern.storage.messages.UnreadQueue;
import dev.tern.storage.receipts.ReceiptStatus;
import dev.tern.storage.receipts.ReceiptStore;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's part of receipts (XEP-0184) and chat markers (XEP-0333) in 1:1 chats. Receipts
 * still travel as ordinary stored messages (see {@link MessageRouter}); on top of that:
 * <ul>
 *   <li>{@link #index}: every stored message is findable by the ids a receipt may name it by;
 *   <li>{@link #acknowledge}: a stored receipt or marker advances the status of the message it
 *       names — one the other party sent in the same chat — and takes that message out of the
 *       receipt sender's unread queue: their device has it, which is what an ack means for a
 *       device without stream management;
 *   <li>the status query of {@link ReceiptWire}.
 * </ul>
 */
final class ReceiptRouter {

  private static final Logger log = LoggerFactory.getLogger(ReceiptRouter.class);

  private final Connection nats;
  private final ReceiptStore receipts;
  private final UnreadQueue unread;

  private final Optional<MessageStore> messages;

  ReceiptRouter(Connection nats, ReceiptStore receipts, UnreadQueue unread) {
    this(nats, receipts, unread, Optional.empty());
  }

  /** With the message store, answers name each message's stanza-id too. */
  ReceiptRouter(Connection nats, ReceiptStore receipts, UnreadQueue unread,
      MessageStore messages) {
    this(nats, receipts, unread, Optional.of(messages));
  }

  private ReceiptRouter(Connection nats, ReceiptStore receipts, UnreadQueue unread,
      Optional<MessageStore> messages) {
    this.messages = messages;
    this.nats = requireNonNull(nats, "nats");
    this.receipts = requireNonNull(receipts, "receipts");
    this.unread = requireNonNull(unread, "unread");
  }

  void subscribe(Dispatcher dispatcher, String region) {
    dispatcher.subscribe(ReceiptWire.status(region), RouterSubjects.QUEUE_GROUP, this::onStatus);
  }

  /**
   * Makes {@code m} findable by its stanza-id, origin-id and {@code id} attribute (in
   * {@code facts}, what was read of it). Runs before the message can reach the recipient, so a
   * receipt never names a message not yet indexed.
   */
  CompletionStage<Void> index(StoredMessage m, MessageFacts facts) {
    return receipts.index(m, facts.clientId());
  }

  /**
   * If {@code m} carries receipts or markers ({@code facts}, what was read of it): each advances
   * the status of the message it names (sent by the other party of the chat; unknown ids are
   * ignored), stamped with the time {@code m} was stored, and takes that message out of the
   * unread queue of {@code m}'s sender. Idempotent, so a resend of the receipt may run it again.
   */
  CompletionStage<Void> acknowledge(StoredMessage m, MessageFacts facts) {
    List<MessageFacts.Ack> acks = facts.acks();
    if (acks.isEmpty() || m.sender().equals(m.recipient())) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
    for (MessageFacts.Ack ack : acks) {
      all = all.thenCompose(v -> receipts.find(m.chat(), m.recipient(), ack.id())
          .thenCompose(seq -> seq.isEmpty()
              ? CompletableFuture.<Void>completedFuture(null)
              : receipts.advance(m.chat(), seq.get(), ack.state(), m.storedAt())
                  .thenCompose(s -> unread.remove(m.sender(), m.chat(), seq.get()))));
    }
    return all;
  }

  private void onStatus(Message request) {
    Headers h = request.getHeaders();
    String user = h == null ? null : WireText.header(h, MessageWire.USER);
    List<ReceiptWire.Query> queries;
    try {
      queries = ReceiptWire.decodeQueries(request.getData());
    } catch (RuntimeException e) {
      fail(request, "bad query");
      return;
    }
    if (user == null) {
      fail(request, "no user");
      return;
    }
    List<CompletableFuture<ReceiptWire.Answer>> answers = new ArrayList<>();
    for (ReceiptWire.Query q : queries) {
      answers.add(answer(user, q).toCompletableFuture());
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .whenComplete((v, error) -> {
          if (error != null) {
            log.warn("receipt status for {} not read", user, error);
            fail(request, "not read");
            return;
          }
          nats.publish(NatsMessage.builder().subject(request.getReplyTo())
              .data(ReceiptWire.encodeAnswers(answers.stream().map(CompletableFuture::join).toList()))
              .build());
        });
  }

  /** A message {@code user} sent to {@code q.with()}; unknown ones answer without a seq. */
  private CompletionStage<ReceiptWire.Answer> answer(String user, ReceiptWire.Query q) {
    ChatId chat;
    try {
      chat = ChatId.direct(user, q.with());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          new ReceiptWire.Answer(q, Optional.empty(), ReceiptStatus.SENT));
    }
    return receipts.find(chat, user, q.id()).thenCompose(seq -> seq.isEmpty()
        ? CompletableFuture.completedFuture(
            new ReceiptWire.Answer(q, Optional.empty(), ReceiptStatus.SENT))
        : receipts.status(chat, seq.get()).thenCombine(stanzaId(chat, seq.get()),
            (s, id) -> new ReceiptWire.Answer(q, seq, id, s)));
  }

  /** The stanza-id of the chat's message {@code seq}, if the store still has it. */
  private CompletionStage<Optional<String>> stanzaId(ChatId chat, long seq) {
    return messages.map(m -> m.find(chat, seq).thenApply(found -> found.map(StoredMessage::stanzaId)))
        .orElse(CompletableFuture.completedFuture(Optional.empty()));
  }

  private void fail(Message request, String why) {
    if (request.getReplyTo() != null) {
      nats.publish(NatsMessage.builder().subject(request.getReplyTo())
          .headers(new Headers()
          .add(MessageWire.ERROR, WireText.encode(why))).data(new byte[0]).build());
    }
  }
}

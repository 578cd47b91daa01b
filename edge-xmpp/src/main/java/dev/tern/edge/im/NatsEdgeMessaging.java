package dev.tern.edge.im;

import static java.util.Objects.requireNonNull;

import dev.tern.routing.MessageFacts;
import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.WireText;
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

/**
 * {@link EdgeMessaging} over NATS: asks a router of the region to persist a message, receives
 * the messages for users who have a session on this edge (a subscription per such user, so NATS
 * interest routes them here from any region), reads and clears unread queues.
 */
public final class NatsEdgeMessaging implements EdgeMessaging {

  /**
   * How long a message waits for its router at least. A router answers every message request,
   * stored or refused (it refuses what it cannot queue), so a long wait is a busy region slowing
   * its senders down, not a lost request; giving up early would tell the client "not stored"
   * about a message that may be stored a moment later.
   */
  static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final Connection nats;
  private final String region;
  private final Duration timeout;
  private final Dispatcher dispatcher;
  private final Map<String, Subscription> online = new HashMap<>();

  public NatsEdgeMessaging(Connection nats, String region, Duration timeout) {
    this.nats = requireNonNull(nats, "nats");
    this.region = requireNonNull(region, "region");
    this.timeout = requireNonNull(timeout, "timeout");
    this.dispatcher = nats.createDispatcher();
  }

  @Override
  public CompletionStage<Persisted> send(String fromFull, String toBare, Optional<String> originId,
      MessageFacts facts, String stanzaXml) {
    return nats.requestWithTimeout(MessageWire.sendRequest(region, fromFull, toBare, originId,
            facts, stanzaXml), timeout.compareTo(SEND_TIMEOUT) > 0 ? timeout : SEND_TIMEOUT)
        .thenApply(reply -> {
          Headers r = reply.getHeaders();
          Refusal.from(r).ifPresent(refusal -> {
            throw new Refused(refusal);
          });
          if (r == null || WireText.header(r, MessageWire.STANZA_ID) == null) {
            throw new IllegalStateException("the router did not store the message");
          }
          return new Persisted(WireText.header(r, MessageWire.STANZA_ID),
              WireText.header(r, MessageWire.CHAT),
              Long.parseLong(WireText.header(r, MessageWire.SEQ)));
        });
  }

  @Override
  public CompletionStage<Optional<Refused>> refusal(String fromJid, String toJid) {
    return nats.requestWithTimeout(NatsMessage.builder().subject(BlockingWire.check(region))
            .headers(new Headers().add(MessageWire.FROM, WireText.encode(fromJid))
            .add(MessageWire.TO, WireText.encode(toJid)))
            .data(new byte[0]).build(), timeout)
        .thenApply(reply -> Refusal.from(reply.getHeaders()).map(Refused::new));
  }

  @Override
  public CompletionStage<List<Delivery>> unread(String bareJid, Optional<Delivery> after) {
    Headers h = new Headers().add(MessageWire.USER, WireText.encode(bareJid));
    after.ifPresent(a -> h.add(MessageWire.STORED_AT, WireText.encode(a.storedAt().toString()))
        .add(MessageWire.CHAT, WireText.encode(a.chat()))
        .add(MessageWire.SEQ, Long.toString(a.seq())));
    return nats.requestWithTimeout(NatsMessage.builder().subject(MessageWire.unread(region))
            .headers(h).data(new byte[0]).build(), timeout)
        .thenApply(reply -> {
          if (WireText.header(reply.getHeaders(), MessageWire.ERROR) != null) {
            throw new IllegalStateException("the router could not read the unread queue");
          }
          return UnreadBatch.decode(reply.getData()).stream()
              .map(e -> new Delivery(e.stanzaId(), e.chat(), e.seq(), e.storedAt(),
                  e.stanzaXml(), true))
              .toList();
        });
  }

  @Override
  public void delivered(String bareJid, String chat, long seq) {
    nats.publish(NatsMessage.builder().subject(MessageWire.delivered(region))
        .headers(new Headers().add(MessageWire.USER, WireText.encode(bareJid))
            .add(MessageWire.CHAT, WireText.encode(chat))
            .add(MessageWire.SEQ, Long.toString(seq)))
        .data(new byte[0]).build());
  }

  @Override
  public void pass(String toJid, String stanzaXml) {
    nats.publish(MessageWire.stanza(toJid, stanzaXml));
  }

  @Override
  public CompletionStage<Boolean> passConfirmed(String toJid, String stanzaXml) {
    return nats.requestWithTimeout(MessageWire.stanza(toJid, stanzaXml), timeout)
        .handle((reply, error) -> error == null);
  }

  @Override
  public synchronized void online(String bareJid, Predicate<Delivery> deliver,
      Predicate<Passing> pass) {
    online.computeIfAbsent(bareJid, b -> dispatcher.subscribe(MessageWire.user(b),
        (Message m) -> {
          Headers h = m.getHeaders();
          boolean taken;
          if (MessageWire.KIND_STANZA.equals(WireText.header(h, MessageWire.KIND))) {
            taken = pass.test(new Passing(WireText.header(h, MessageWire.TO),
                new String(m.getData(), StandardCharsets.UTF_8)));
          } else {
            taken = deliver.test(new Delivery(WireText.header(h, MessageWire.STANZA_ID),
                WireText.header(h, MessageWire.CHAT),
                Long.parseLong(WireText.header(h, MessageWire.SEQ)),
                Instant.parse(WireText.header(h, MessageWire.STORED_AT)),
                new String(m.getData(), StandardCharsets.UTF_8), false));
          }
          if (taken && m.getReplyTo() != null) {
            nats.publish(m.getReplyTo(), new byte[0]);
          }
        }));
  }

  @Override
  public synchronized void offline(String bareJid) {
    Subscription s = online.remove(bareJid);
    if (s != null) {
      dispatcher.unsubscribe(s);
    }
  }

  @Override
  public void onResubscribed(Runnable action) {
    requireNonNull(action, "action");
    nats.addConnectionListener((conn, event) -> {
      if (event == io.nats.client.ConnectionListener.Events.RESUBSCRIBED) {
        action.run();
      }
    });
  }

  @Override
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

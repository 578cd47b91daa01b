package dev.tern.router.roster;

import static java.util.Objects.requireNonNull;

import dev.tern.routing.MessageWire;
import dev.tern.routing.RouterSubjects;
import dev.tern.routing.WireText;
import dev.tern.routing.roster.RosterWire;
import dev.tern.storage.errors.StoreErrors;
import dev.tern.storage.roster.LastActivityStore;
import dev.tern.storage.roster.RosterStore;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's part of RFC 6121 and XEP-0012 on NATS: answers the edges' requests of
 * {@link RosterWire} in the routers' queue group with {@link Rosters}, whose stanzas for clients
 * go out as passing stanzas on the users' subjects ({@link MessageWire#stanza}). The reply comes
 * once all writes are done; a refusal carries its RFC 6120 condition in {@code Tern-Error}.
 */
public final class RosterRouter {

  private static final Logger log = LoggerFactory.getLogger(RosterRouter.class);

  private final Connection nats;
  private final Rosters rosters;
  private final StoreErrors errors;

  public RosterRouter(Connection nats, RosterStore rosters, LastActivityStore last,
      StoreErrors errors, Clock clock) {
    this.nats = requireNonNull(nats, "nats");
    this.errors = requireNonNull(errors, "errors");
    this.rosters = new Rosters(rosters, last, errors, clock,
        (toJid, xml) -> {
          try {
            nats.publish(MessageWire.stanza(toJid, xml));
          } catch (IllegalArgumentException e) { // a stored contact that is no JID
            log.warn("stanza for {} not passed: {}", toJid, e.getMessage());
          }
        });
  }

  /**
   * Removes {@code user}'s roster as an account removal does (XEP-0077 §3.2): each contact is
   * told, as if the user had removed it (RFC 6121 §2.5.3), and its own roster follows.
   */
  public CompletionStage<Void> removeAll(String user) {
    return rosters.removeAll(user);
  }

  public void subscribe(Dispatcher dispatcher, String region) {
    dispatcher.subscribe(RosterWire.roster(region), RouterSubjects.QUEUE_GROUP,
        refusing(this::onRoster));
    dispatcher.subscribe(RosterWire.presence(region), RouterSubjects.QUEUE_GROUP,
        refusing(this::onPresence));
    dispatcher.subscribe(RosterWire.subscription(region), RouterSubjects.QUEUE_GROUP,
        refusing(this::onSubscription));
    dispatcher.subscribe(RosterWire.last(region), RouterSubjects.QUEUE_GROUP,
        refusing(this::onLast));
  }

  /** {@code handler}, answering a refusal it throws before any stage (a malformed JID). */
  private MessageHandler refusing(MessageHandler handler) {
    return request -> {
      try {
        handler.onMessage(request);
      } catch (Rosters.Refused e) {
        refuse(request, e, request.getSubject());
      }
    };
  }

  /**
   * Announces {@code fullJid} unavailable to its contacts and its user's other resources, for a
   * session that ended without saying so (its edge died), and records the user's last activity.
   */
  public CompletionStage<Void> unavailable(String fullJid) {
    return rosters.presence(fullJid, RosterWire.UNAVAILABLE,
        new RosterWire.PresencePayload(Stanzas.unavailable(fullJid), ""));
  }

  private void onRoster(Message request) {
    Headers h = request.getHeaders();
    String user = Rosters.bare(WireText.header(h, MessageWire.FROM));
    String op = WireText.header(h, RosterWire.OP);
    CompletionStage<byte[]> done = switch (op == null ? "" : op) {
      case RosterWire.GET -> rosters.get(user).thenApply(RosterWire::encodeItems);
      case RosterWire.SET -> rosters.set(user, RosterWire.decodeItems(request.getData()).get(0),
              Optional.ofNullable(WireText.header(h, RosterWire.CLAIMED_SUBSCRIPTION)))
          .thenApply(v -> new byte[0]);
      case RosterWire.REMOVE -> rosters.remove(user,
              RosterWire.decodeItems(request.getData()).get(0).contact())
          .thenApply(v -> new byte[0]);
      default -> CompletableFuture.failedFuture(new Rosters.Refused("bad-request"));
    };
    answer(request, done, "roster " + op + " of " + user);
  }

  private void onSubscription(Message request) {
    Headers h = request.getHeaders();
    String user = Rosters.bare(WireText.header(h, MessageWire.FROM));
    String contact = Rosters.bare(WireText.header(h, MessageWire.TO));
    String type = String.valueOf(WireText.header(h, RosterWire.OP));
    String xml = new String(request.getData(), StandardCharsets.UTF_8);
    answer(request, rosters.subscription(user, contact, type, xml).thenApply(v -> new byte[0]),
        type + " from " + user + " to " + contact);
  }

  private void onPresence(Message request) {
    Headers h = request.getHeaders();
    String full = WireText.header(h, MessageWire.FROM);
    String op = WireText.header(h, RosterWire.OP);
    answer(request, rosters.presence(full, op, RosterWire.decodePresence(request.getData()))
        .thenApply(v -> new byte[0]), op + " presence of " + full);
  }

  private void onLast(Message request) {
    Headers h = request.getHeaders();
    String requester = Rosters.bare(WireText.header(h, MessageWire.FROM));
    String contact = Rosters.bare(WireText.header(h, MessageWire.TO));
    rosters.lastActivity(requester, contact).whenComplete((idle, error) -> {
      if (error != null) {
        refuse(request, error, "last activity of " + contact);
        return;
      }
      nats.publish(NatsMessage.builder().subject(request.getReplyTo())
          .headers(new Headers().add(RosterWire.SECONDS, Long.toString(idle.seconds())))
          .data(idle.status().getBytes(StandardCharsets.UTF_8)).build());
    });
  }

  private void answer(Message request, CompletionStage<byte[]> done, String what) {
    done.whenComplete((data, error) -> {
      if (error != null) {
        refuse(request, error, what);
      } else if (request.getReplyTo() != null) {
        nats.publish(request.getReplyTo(), data);
      }
    });
  }

  private void refuse(Message request, Throwable error, String what) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    String condition;
    if (cause instanceof Rosters.Refused r) {
      condition = r.condition;
    } else {
      if (errors.passing(cause)) {
        // Load or a passing outage, not a fault in the code: one line, not a stack trace each.
        log.warn("{} failed: {}", what, cause.toString());
      } else {
        log.warn("{} failed", what, cause);
      }
      condition = "internal-server-error";
    }
    if (request.getReplyTo() != null) {
      nats.publish(NatsMessage.builder().subject(request.getReplyTo())
          .headers(new Headers()
          .add(MessageWire.ERROR, WireText.encode(condition))).data(new byte[0]).build());
    }
  }
}

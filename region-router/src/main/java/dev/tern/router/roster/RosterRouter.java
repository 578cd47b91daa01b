package dev.tern.router.roster;

import static java.util.Objects.requireNonNull;

import dev.tern.router.MessageWire;
import dev.tern.router.RouterSubjects;
import dev.tern.storage.roster.LastActivityStore;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.RosterStore;
import dev.tern.storage.roster.Subscription;
import dev.tern.storage.roster.SubscriptionRequest;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's part of RFC 6121: roster get, set and remove with pushes (§2), the subscription
 * state machine for both users of a subscription stanza (§3; both are users of this domain, so
 * one router does the user's and the contact's side), presence broadcast and probes (§4), and
 * XEP-0012 last activity of a contact.
 *
 * <p>Everything that reaches clients travels as passing stanzas on the users' NATS subjects
 * ({@link MessageWire#stanza}): to a bare JID for every session of a user, to a full JID for one.
 */
public final class RosterRouter {

  private static final Logger log = LoggerFactory.getLogger(RosterRouter.class);

  /** A refusal that becomes the stanza error of the client's request. */
  static final class Refused extends RuntimeException {
    final String condition;

    Refused(String condition) {
      super(condition, null, false, false);
      this.condition = condition;
    }
  }

  private final Connection nats;
  private final RosterStore rosters;
  private final LastActivityStore last;
  private final Clock clock;

  public RosterRouter(Connection nats, RosterStore rosters, LastActivityStore last, Clock clock) {
    this.nats = requireNonNull(nats, "nats");
    this.rosters = requireNonNull(rosters, "rosters");
    this.last = requireNonNull(last, "last");
    this.clock = requireNonNull(clock, "clock");
  }

  public void subscribe(Dispatcher dispatcher, String region) {
    dispatcher.subscribe(RosterWire.roster(region), RouterSubjects.QUEUE_GROUP, this::onRoster);
    dispatcher.subscribe(RosterWire.presence(region), RouterSubjects.QUEUE_GROUP, this::onPresence);
    dispatcher.subscribe(RosterWire.subscription(region), RouterSubjects.QUEUE_GROUP,
        this::onSubscription);
    dispatcher.subscribe(RosterWire.last(region), RouterSubjects.QUEUE_GROUP, this::onLast);
  }

  // ---- roster management (RFC 6121 §2) ----

  private void onRoster(Message request) {
    Headers h = request.getHeaders();
    String user = bare(h.getFirst(MessageWire.FROM));
    String op = h.getFirst(RosterWire.OP);
    CompletionStage<byte[]> done = switch (op == null ? "" : op) {
      case RosterWire.GET -> rosters.items(user).thenApply(RosterWire::encodeItems);
      case RosterWire.SET -> set(user, RosterWire.decodeItems(request.getData()).get(0),
              Optional.ofNullable(h.getFirst(RosterWire.CLAIMED_SUBSCRIPTION)))
          .thenApply(v -> new byte[0]);
      case RosterWire.REMOVE -> remove(user, RosterWire.decodeItems(request.getData()).get(0).contact())
          .thenApply(v -> new byte[0]);
      default -> CompletableFuture.failedFuture(new Refused("bad-request"));
    };
    answer(request, done, "roster " + op + " of " + user);
  }

  /**
   * §2.4: adds or updates name and groups; the subscription state stays the server's. A client
   * may repeat the subscription it knows (Smack does), but not set another one (not-allowed).
   */
  private CompletionStage<Void> set(String user, RosterItem requested, Optional<String> claimed) {
    return rosters.item(user, requested.contact()).thenCompose(existing -> {
      Subscription stored = existing.map(RosterItem::subscription).orElse(Subscription.NONE);
      if (claimed.isPresent() && !claimed.get().equals(stored.attribute())) {
        throw new Refused("not-allowed");
      }
      RosterItem item = existing.orElseGet(() -> RosterItem.of(requested.contact()))
          .withName(requested.name()).withGroups(requested.groups());
      return save(user, item);
    });
  }

  /**
   * §2.5.3: removing an item also cancels the subscriptions both ways: the contact gets
   * {@code unsubscribe} if the user saw its presence (or asked to) and {@code unsubscribed} if it
   * saw the user's (or asked to).
   */
  private CompletionStage<Void> remove(String user, String contact) {
    record Removal(RosterItem i, boolean pendingIn) {}
    return rosters.item(user, contact).thenCombine(pendingIn(user, contact), (item, pending) -> {
      if (item.isEmpty()) {
        throw new Refused("item-not-found");
      }
      return new Removal(item.get(), pending);
    }).thenCompose(x -> {
      CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
      if (x.i.subscription().hasTo() || x.i.askSubscribe()) {
        chain = chain.thenCompose(v -> inboundUnsubscribe(contact, user,
            Stanzas.subscription("unsubscribe", user, contact)));
      }
      if (x.i.subscription().hasFrom() || x.pendingIn || x.i.approved()) {
        chain = chain.thenCompose(v -> {
          pass(user, Stanzas.retract(contact, user));
          return inboundUnsubscribed(contact, user,
              Stanzas.subscription("unsubscribed", user, contact));
        });
      }
      return chain
          .thenCompose(v -> rosters.remove(user, contact))
          .thenCompose(v -> rosters.removeRequest(user, contact))
          .thenRun(() -> pass(user, Stanzas.push(user, x.i, true)));
    });
  }

  // ---- subscriptions (RFC 6121 §3) ----

  private void onSubscription(Message request) {
    Headers h = request.getHeaders();
    String user = bare(h.getFirst(MessageWire.FROM));
    String contact = bare(h.getFirst(MessageWire.TO));
    String type = h.getFirst(RosterWire.OP);
    String xml = new String(request.getData(), StandardCharsets.UTF_8);
    CompletionStage<Void> done = switch (type == null ? "" : type) {
      case "subscribe" -> outboundSubscribe(user, contact, xml);
      case "subscribed" -> outboundSubscribed(user, contact, xml);
      case "unsubscribe" -> outboundUnsubscribe(user, contact, xml);
      case "unsubscribed" -> outboundUnsubscribed(user, contact, xml);
      default -> CompletableFuture.failedFuture(new Refused("bad-request"));
    };
    answer(request, done.thenApply(v -> new byte[0]), type + " from " + user + " to " + contact);
  }

  private CompletionStage<Void> outboundSubscribe(String user, String contact, String xml) {
    return rosters.item(user, contact)
        .thenCompose(item -> apply(user, Subscriptions.outboundSubscribe(item, contact)))
        .thenCompose(forward -> inboundSubscribe(contact, user, xml));
  }

  /** §3.1.3 at the contact: answered by the server if approved already, else kept and shown. */
  private CompletionStage<Void> inboundSubscribe(String contact, String user, String xml) {
    return rosters.item(contact, user).thenCompose(item -> {
      String subscribed = Stanzas.subscription("subscribed", contact, user);
      return switch (Subscriptions.inboundSubscribe(item)) {
        case ALREADY_APPROVED -> inboundSubscribed(user, contact, subscribed);
        case PRE_APPROVED -> save(contact, Subscriptions.preApproved(item.orElseThrow()))
            .thenCompose(v -> inboundSubscribed(user, contact, subscribed));
        case ASK_USER -> rosters.addRequest(contact,
                new SubscriptionRequest(user, xml, clock.instant()))
            .thenRun(() -> pass(contact, xml));
      };
    });
  }

  /** §3.1.6 at the user: now subscribed, so the contact's resources answer a probe. */
  private CompletionStage<Void> inboundSubscribed(String user, String contact, String xml) {
    return rosters.item(user, contact)
        .thenCompose(item -> apply(user, Subscriptions.inboundSubscribed(item)))
        .thenAccept(forward -> {
          if (forward) {
            pass(user, xml);
            pass(contact, Stanzas.probe(user, contact));
          }
        });
  }

  private CompletionStage<Void> outboundSubscribed(String user, String contact, String xml) {
    return rosters.item(user, contact).thenCombine(pendingIn(user, contact),
            (item, pending) -> Subscriptions.outboundSubscribed(item, contact, pending))
        .thenCompose(change -> apply(user, change))
        .thenCompose(forward -> !forward ? CompletableFuture.<Void>completedFuture(null)
            : rosters.removeRequest(user, contact)
                .thenCompose(v -> inboundSubscribed(contact, user, xml)));
  }

  private CompletionStage<Void> outboundUnsubscribe(String user, String contact, String xml) {
    return rosters.item(user, contact)
        .thenCompose(item -> apply(user, Subscriptions.outboundUnsubscribe(item)))
        .thenCompose(forward -> inboundUnsubscribe(contact, user, xml));
  }

  /** §3.3.3 at the contact: the user no longer sees the contact's presence. */
  private CompletionStage<Void> inboundUnsubscribe(String contact, String user, String xml) {
    return rosters.removeRequest(contact, user)
        .thenCompose(v -> rosters.item(contact, user))
        .thenCompose(item -> apply(contact, Subscriptions.inboundUnsubscribe(item)))
        .thenAccept(forward -> {
          if (forward) {
            pass(contact, xml);
            pass(contact, Stanzas.retract(user, contact));
          }
        });
  }

  private CompletionStage<Void> outboundUnsubscribed(String user, String contact, String xml) {
    return rosters.item(user, contact).thenCombine(pendingIn(user, contact),
            (item, pending) -> Subscriptions.outboundUnsubscribed(item, pending))
        .thenCompose(change -> apply(user, change))
        .thenCompose(forward -> !forward ? CompletableFuture.<Void>completedFuture(null)
            : rosters.removeRequest(user, contact).thenCompose(v -> {
              pass(user, Stanzas.retract(contact, user));
              return inboundUnsubscribed(contact, user, xml);
            }));
  }

  /** §3.2.3 at the contact: its subscription to the user was refused or cancelled. */
  private CompletionStage<Void> inboundUnsubscribed(String contact, String user, String xml) {
    return rosters.item(contact, user)
        .thenCompose(item -> apply(contact, Subscriptions.inboundUnsubscribed(item)))
        .thenAccept(forward -> {
          if (forward) {
            pass(contact, xml);
          }
        });
  }

  // ---- presence (RFC 6121 §4) ----

  /**
   * §4.2.2, §4.4.2, §4.5.2: to the contacts with a subscription from the user and to the user's
   * own resources; initial presence also probes the contacts the user is subscribed to (§4.3)
   * and brings the subscription requests that waited (§3.1.3).
   */
  private void onPresence(Message request) {
    Headers h = request.getHeaders();
    String full = h.getFirst(MessageWire.FROM);
    String user = bare(full);
    String resource = full.substring(full.indexOf('/') + 1);
    String op = h.getFirst(RosterWire.OP);
    RosterWire.PresencePayload p = RosterWire.decodePresence(request.getData());
    boolean unavailable = RosterWire.UNAVAILABLE.equals(op);
    CompletionStage<Void> done = rosters.items(user).thenCompose(items -> {
      for (RosterItem item : items) {
        if (item.subscription().hasFrom()) {
          pass(item.contact(), p.xml());
        }
      }
      pass(user, p.xml());
      CompletionStage<Void> more = unavailable
          ? last.unavailable(user, resource, clock.instant(), p.status())
          : last.available(user, resource);
      if (RosterWire.INITIAL.equals(op)) {
        pass(user, Stanzas.probe(full, user)); // §4.2.2: the user's other available resources
        for (RosterItem item : items) {
          if (item.subscription().hasTo()) {
            pass(item.contact(), Stanzas.probe(full, item.contact()));
          }
        }
        more = more.thenCompose(v -> rosters.requests(user))
            .thenAccept(requests -> requests.forEach(r -> pass(full, r.stanzaXml())));
      }
      return more;
    });
    answer(request, done.thenApply(v -> new byte[0]), op + " presence of " + full);
  }

  // ---- XEP-0012 last activity ----

  /** Only for a requester subscribed to the contact (XEP-0012 §4); 0 s while it is online. */
  private void onLast(Message request) {
    Headers h = request.getHeaders();
    String requester = bare(h.getFirst(MessageWire.FROM));
    String contact = bare(h.getFirst(MessageWire.TO));
    rosters.item(requester, contact).thenCompose(item -> {
      if (item.isEmpty() || !item.get().subscription().hasTo()) {
        throw new Refused("forbidden");
      }
      return last.lastActivity(contact);
    }).whenComplete((activity, error) -> {
      if (error != null) {
        refuse(request, error, "last activity of " + contact);
        return;
      }
      if (!activity.online() && activity.lastSeen().isEmpty()) {
        refuse(request, new Refused("item-not-found"), "");
        return;
      }
      long seconds = activity.online() ? 0
          : Math.max(0, Duration.between(activity.lastSeen().get(), clock.instant()).toSeconds());
      nats.publish(NatsMessage.builder().subject(request.getReplyTo())
          .headers(new Headers().add(RosterWire.SECONDS, Long.toString(seconds)))
          .data(activity.online() ? new byte[0] : activity.status().getBytes(StandardCharsets.UTF_8))
          .build());
    });
  }

  // ---- helpers ----

  private CompletionStage<Boolean> pendingIn(String user, String contact) {
    return rosters.requests(user)
        .thenApply(list -> list.stream().anyMatch(r -> r.from().equals(contact)));
  }

  /** Stores and pushes what changed; completes with whether the stanza goes on. */
  private CompletionStage<Boolean> apply(String user, Subscriptions.Change change) {
    if (change.updated().isEmpty()) {
      return CompletableFuture.completedFuture(change.forward());
    }
    return save(user, change.updated().get()).thenApply(v -> change.forward());
  }

  /** Stores the item, then pushes it to the user's interested resources (§2.1.6). */
  private CompletionStage<Void> save(String user, RosterItem item) {
    return rosters.put(user, item).thenRun(() -> pass(user, Stanzas.push(user, item, false)));
  }

  private void pass(String toJid, String xml) {
    nats.publish(MessageWire.stanza(toJid, xml));
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
    if (cause instanceof Refused r) {
      condition = r.condition;
    } else {
      log.warn("{} failed", what, cause);
      condition = "internal-server-error";
    }
    if (request.getReplyTo() != null) {
      nats.publish(NatsMessage.builder().subject(request.getReplyTo())
          .headers(new Headers().add(MessageWire.ERROR, condition)).data(new byte[0]).build());
    }
  }

  static String bare(String jid) {
    int slash = jid.indexOf('/');
    return slash < 0 ? jid : jid.substring(0, slash);
  }
}

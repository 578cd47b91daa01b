package dev.tern.router.roster;

import static java.util.Objects.requireNonNull;

import dev.tern.router.chats.ChatLanes;
import dev.tern.routing.roster.RosterWire;
import dev.tern.storage.errors.StoreErrors;
import dev.tern.storage.roster.LastActivityStore;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.RosterStore;
import dev.tern.storage.roster.Subscription;
import dev.tern.storage.roster.SubscriptionRequest;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * What the router does for RFC 6121, apart from NATS: roster get, set and remove with pushes
 * (§2), the subscription state machine for both users of a subscription stanza (§3; both are
 * users of this domain, so one router does the user's and the contact's side), presence
 * broadcast and probes (§4), and XEP-0012 last activity of a contact.
 *
 * <p>Everything for clients leaves through {@link Outlet#pass}: a stanza to a bare JID reaches
 * every session of the user, to a full JID one. Every stage completes once all its writes are
 * done, so a caller that waits for one before the next keeps a user's stanzas in order.
 */
final class Rosters {

  /** How often a subscription change is tried against a roster item that keeps changing. */
  private static final int TRANSITION_ATTEMPTS = 8;

  /** Presence under overload: five tries, 0.25 s apart at first, about 4 s in all. */
  private static final int OVERLOAD_ATTEMPTS = 5;
  private static final Duration OVERLOAD_FIRST_PAUSE = Duration.ofMillis(250);


  /** Where stanzas for clients go (the users' NATS subjects, in the product). */
  interface Outlet {
    void pass(String toJid, String xml);
  }

  /** A refusal that becomes the stanza error of the client's request. */
  static final class Refused extends RuntimeException {
    final String condition;

    Refused(String condition) {
      super(condition, null, false, false);
      this.condition = condition;
    }
  }

  /** XEP-0012's answer: idle seconds and status. */
  record Idle(long seconds, String status) {}

  private final RosterStore rosters;
  private final LastActivityStore last;
  private final Clock clock;
  private final Outlet outlet;
  private final StoreErrors errors;
  /** Each pair of users' changes, in arrival order ({@link #inOrder}). */
  private final ChatLanes<String> pairs = new ChatLanes<>();

  Rosters(RosterStore rosters, LastActivityStore last, StoreErrors errors, Clock clock,
      Outlet outlet) {
    this.rosters = requireNonNull(rosters, "rosters");
    this.last = requireNonNull(last, "last");
    this.errors = requireNonNull(errors, "errors");
    this.clock = requireNonNull(clock, "clock");
    this.outlet = requireNonNull(outlet, "outlet");
  }

  /** §2.1.3: the user's roster. */
  CompletionStage<List<RosterItem>> get(String user) {
    return rosters.items(user);
  }

  /**
   * §2.4: adds or updates name and groups; the subscription state stays the server's. A client
   * may repeat the subscription it knows (Smack does), but not set another one (not-allowed).
   */
  CompletionStage<Void> set(String user, RosterItem requested, Optional<String> claimed) {
    return inOrder(user, requested.contact(), () -> setNow(user, requested, claimed));
  }

  private CompletionStage<Void> setNow(String user, RosterItem requested,
      Optional<String> claimed) {
    // compare-and-set, like the subscription transitions that may change the item meanwhile
    return transition(user, requested.contact(), existing -> {
      Subscription stored = existing.map(RosterItem::subscription).orElse(Subscription.NONE);
      if (claimed.isPresent() && !claimed.get().equals(stored.attribute())) {
        throw new Refused("not-allowed");
      }
      return Subscriptions.Change.silent(Optional.of(
          existing.orElseGet(() -> RosterItem.of(requested.contact()))
              .withName(requested.name()).withGroups(requested.groups())));
    }).thenApply(forward -> null);
  }

  /**
   * §2.5.3: removing an item also cancels the subscriptions both ways: the contact gets
   * {@code unsubscribe} if the user saw its presence (or asked to) and {@code unsubscribed} if it
   * saw the user's (or asked to).
   */
  CompletionStage<Void> remove(String user, String contact) {
    return inOrder(user, contact, () -> removeNow(user, contact));
  }

  private CompletionStage<Void> removeNow(String user, String contact) {
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
          .thenRun(() -> pass(user, Stanzas.push(user,
              x.i.withVersion(nextVersion(Optional.of(x.i))), true)));
    });
  }

  /**
   * The account of {@code user} is being removed (XEP-0077 §3.2): every item goes as {@link
   * #remove} takes it, so each contact is told (RFC 6121 §2.5.3) and its roster follows; then
   * the requests still waiting for the user go.
   */
  CompletionStage<Void> removeAll(String user) {
    return rosters.items(user).thenCompose(items -> {
      CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
      for (RosterItem item : items) {
        chain = chain.thenCompose(v -> remove(user, item.contact())
            .exceptionally(error -> null)); // gone meanwhile, or a contact that is no JID
      }
      return chain;
    }).thenCompose(v -> rosters.requests(user))
        .thenCompose(requests -> CompletableFuture.allOf(requests.stream()
            .map(r -> rosters.removeRequest(user, r.from()).toCompletableFuture())
            .toArray(CompletableFuture[]::new)));
  }

  // ---- subscriptions (RFC 6121 §3) ----

  /** A subscription stanza of {@code type} from {@code user} to {@code contact}. */
  CompletionStage<Void> subscription(String user, String contact, String type, String xml) {
    return inOrder(user, contact, () -> subscriptionNow(user, contact, type, xml));
  }

  private CompletionStage<Void> subscriptionNow(String user, String contact, String type,
      String xml) {
    return switch (type) {
      case "subscribe" -> outboundSubscribe(user, contact, xml);
      case "subscribed" -> outboundSubscribed(user, contact, xml);
      case "unsubscribe" -> outboundUnsubscribe(user, contact, xml);
      case "unsubscribed" -> outboundUnsubscribed(user, contact, xml);
      default -> CompletableFuture.failedFuture(new Refused("bad-request"));
    };
  }

  private CompletionStage<Void> outboundSubscribe(String user, String contact, String xml) {
    return transition(user, contact, item -> Subscriptions.outboundSubscribe(item, contact))
        .thenCompose(forward -> inboundSubscribe(contact, user, xml));
  }

  /**
   * §3.1.3 at the contact: answered by the server if approved already, else kept and shown. The
   * decision and a pre-approval's change are one compare-and-set on the contact's item, like every
   * other transition: the requester's own {@code subscribed} may be changing that item at the same
   * moment (a lost update left the item "from" instead of "both").
   */
  private CompletionStage<Void> inboundSubscribe(String contact, String user, String xml) {
    java.util.concurrent.atomic.AtomicReference<Subscriptions.InboundSubscribe> decided =
        new java.util.concurrent.atomic.AtomicReference<>();
    return transition(contact, user, item -> {
      Subscriptions.InboundSubscribe d = Subscriptions.inboundSubscribe(item);
      decided.set(d);
      return d == Subscriptions.InboundSubscribe.PRE_APPROVED
          ? Subscriptions.Change.silent(Optional.of(Subscriptions.preApproved(item.orElseThrow())))
          : Subscriptions.Change.NOTHING;
    }).thenCompose(ignored -> {
      String subscribed = Stanzas.subscription("subscribed", contact, user);
      return switch (decided.get()) {
        case ALREADY_APPROVED, PRE_APPROVED -> inboundSubscribed(user, contact, subscribed);
        case ASK_USER -> rosters.addRequest(contact,
                new SubscriptionRequest(user, xml, clock.instant()))
            .thenRun(() -> pass(contact, xml));
      };
    });
  }

  /** §3.1.6 at the user: now subscribed, so the contact's resources answer a probe. */
  private CompletionStage<Void> inboundSubscribed(String user, String contact, String xml) {
    return transition(user, contact, Subscriptions::inboundSubscribed)
        .thenAccept(forward -> {
          if (forward) {
            pass(user, xml);
            pass(contact, Stanzas.probe(user, contact));
          }
        });
  }

  private CompletionStage<Void> outboundSubscribed(String user, String contact, String xml) {
    return pendingIn(user, contact)
        .thenCompose(pending -> transition(user, contact,
            item -> Subscriptions.outboundSubscribed(item, contact, pending)))
        .thenCompose(forward -> !forward ? CompletableFuture.<Void>completedFuture(null)
            : rosters.removeRequest(user, contact)
                .thenCompose(v -> inboundSubscribed(contact, user, xml)));
  }

  private CompletionStage<Void> outboundUnsubscribe(String user, String contact, String xml) {
    return transition(user, contact, Subscriptions::outboundUnsubscribe)
        .thenCompose(forward -> inboundUnsubscribe(contact, user, xml));
  }

  /** §3.3.3 at the contact: the user no longer sees the contact's presence. */
  private CompletionStage<Void> inboundUnsubscribe(String contact, String user, String xml) {
    return rosters.removeRequest(contact, user)
        .thenCompose(v -> transition(contact, user, Subscriptions::inboundUnsubscribe))
        .thenAccept(forward -> {
          if (forward) {
            pass(contact, xml);
            pass(contact, Stanzas.retract(user, contact));
          }
        });
  }

  private CompletionStage<Void> outboundUnsubscribed(String user, String contact, String xml) {
    return pendingIn(user, contact)
        .thenCompose(pending -> transition(user, contact,
            item -> Subscriptions.outboundUnsubscribed(item, pending)))
        .thenCompose(forward -> !forward ? CompletableFuture.<Void>completedFuture(null)
            : rosters.removeRequest(user, contact).thenCompose(v -> {
              pass(user, Stanzas.retract(contact, user));
              return inboundUnsubscribed(contact, user, xml);
            }));
  }

  /** §3.2.3 at the contact: its subscription to the user was refused or cancelled. */
  private CompletionStage<Void> inboundUnsubscribed(String contact, String user, String xml) {
    return transition(contact, user, Subscriptions::inboundUnsubscribed)
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
   * and the user's other resources, and brings the subscription requests that waited (§3.1.3).
   * Refused with jid-malformed if {@code fullJid} is no JID, bad-request if it has no resource.
   */
  CompletionStage<Void> presence(String fullJid, String op, RosterWire.PresencePayload p) {
    Jid jid;
    try {
      jid = Jid.parse(fullJid);
    } catch (JidMalformedException e) {
      return CompletableFuture.failedFuture(new Refused("jid-malformed"));
    }
    if (jid.resource().isEmpty()) {
      return CompletableFuture.failedFuture(new Refused("bad-request")); // a session's presence
    }
    String full = jid.toString();
    String user = jid.bare().toString();
    String resource = jid.resource().get();
    boolean unavailable = RosterWire.UNAVAILABLE.equals(op);
    return retryingOverload(() -> rosters.items(user), OVERLOAD_ATTEMPTS).thenCompose(items -> {
      for (RosterItem item : items) {
        if (item.subscription().hasFrom()) {
          pass(item.contact(), p.xml());
        }
      }
      pass(user, p.xml());
      Instant at = clock.instant();
      CompletionStage<Void> more = retryingOverload(() -> unavailable
          ? last.unavailable(user, resource, at, p.status())
          : last.available(user, resource), OVERLOAD_ATTEMPTS);
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
  }

  // ---- XEP-0012 last activity ----

  /**
   * Only for a requester subscribed to the contact (XEP-0012 §4, else forbidden); 0 s while the
   * contact is online; item-not-found for one never seen.
   */
  CompletionStage<Idle> lastActivity(String requester, String contact) {
    return rosters.item(requester, contact).thenCompose(item -> {
      if (item.isEmpty() || !item.get().subscription().hasTo()) {
        throw new Refused("forbidden");
      }
      return last.lastActivity(contact);
    }).thenApply(activity -> {
      if (activity.online()) {
        return new Idle(0, "");
      }
      if (activity.lastSeen().isEmpty()) {
        throw new Refused("item-not-found");
      }
      return new Idle(Math.max(0,
          Duration.between(activity.lastSeen().get(), clock.instant()).toSeconds()),
          activity.status());
    });
  }

  // ---- helpers ----

  /**
   * Runs {@code op} after this router's earlier changes to the same two users' items have ended:
   * a pair's roster edits and subscription stanzas take effect in the order they arrived. Run
   * side by side, a contact's old {@code unsubscribed} could lose a compare-and-set to the
   * user's roster removal, be applied again to the item the user's next {@code subscribe} had
   * made, and cancel that request (Smack's RosterIntegrationTest caught it).
   */
  private <T> CompletionStage<T> inOrder(String a, String b,
      java.util.function.Supplier<CompletionStage<T>> op) {
    String pair = a.compareTo(b) < 0 ? a + " " + b : b + " " + a;
    CompletableFuture<T> out = new CompletableFuture<>();
    pairs.run(pair, () -> {
      CompletionStage<T> stage;
      try {
        stage = op.get();
      } catch (RuntimeException e) {
        out.completeExceptionally(e);
        return CompletableFuture.completedFuture(null);
      }
      return stage.handle((v, e) -> e == null ? out.complete(v) : out.completeExceptionally(e));
    });
    return out;
  }

  private CompletionStage<Boolean> pendingIn(String user, String contact) {
    return rosters.requests(user)
        .thenApply(list -> list.stream().anyMatch(r -> r.from().equals(contact)));
  }

  /**
   * Reads {@code user}'s item for {@code contact}, applies {@code change} to it and stores the
   * result only if the item is still what was read (compare-and-set): the other side of a
   * subscription may be changing the same item in another region at the same moment. On a
   * conflict the item is read again and the change applied again. Pushes what was stored;
   * completes with whether the stanza goes on.
   */
  private CompletionStage<Boolean> transition(String user, String contact,
      java.util.function.Function<Optional<RosterItem>, Subscriptions.Change> change) {
    return transition(user, contact, change, TRANSITION_ATTEMPTS);
  }

  private CompletionStage<Boolean> transition(String user, String contact,
      java.util.function.Function<Optional<RosterItem>, Subscriptions.Change> change,
      int attempts) {
    return retryingTimeouts(() -> rosters.item(user, contact), attempts).thenCompose(before -> {
      Subscriptions.Change c = change.apply(before);
      if (c.updated().isEmpty()) {
        return CompletableFuture.completedFuture(c.forward());
      }
      RosterItem after = c.updated().get().withVersion(nextVersion(before));
      return rosters.replace(user, before, after)
          .handle((stored, error) -> {
            if (error == null) {
              return CompletableFuture.completedFuture(stored);
            }
            if (!errors.transientFailure(error) || attempts <= 1) {
              return CompletableFuture.<Boolean>failedFuture(error);
            }
            // A compare-and-set that timed out (Paxos across both datacenters, under load) may
            // or may not have taken effect: it did if the item is now what it would have written.
            return retryingTimeouts(() -> rosters.item(user, contact), attempts)
                .thenApply(now -> now.isPresent() && now.get().equals(after))
                .toCompletableFuture();
          })
          .thenCompose(stored -> stored)
          .thenCompose(stored -> {
            if (stored) {
              pass(user, Stanzas.push(user, after, false));
              return CompletableFuture.completedFuture(c.forward());
            }
            if (attempts <= 1) {
              return CompletableFuture.<Boolean>failedFuture(new IllegalStateException(
                  "the roster item of " + user + " for " + contact + " kept changing"));
            }
            return transition(user, contact, change, attempts - 1);
          });
    });
  }

  /**
   * Runs {@code call} again when Cassandra refused it for the load of the moment
   * ({@link StoreErrors#overloaded}) or timed out, after a pause that doubles each time, up
   * to {@code attempts} times in all. A whole edge's clients going at once (a crash, a network
   * cut) sends thousands of presence updates together, more than Cassandra takes in one wave;
   * without a second try their contacts would keep seeing them online.
   */
  private <T> CompletionStage<T> retryingOverload(
      java.util.function.Supplier<CompletionStage<T>> call, int attempts) {
    return retrying(call, attempts, errors::passing, OVERLOAD_FIRST_PAUSE);
  }

  /** Runs {@code call} again when Cassandra timed out, up to {@code attempts} times in all. */
  private <T> CompletionStage<T> retryingTimeouts(
      java.util.function.Supplier<CompletionStage<T>> call, int attempts) {
    return retrying(call, attempts, errors::transientFailure, Duration.ZERO);
  }

  /**
   * Runs {@code call} up to {@code attempts} times in all while it fails with an error that
   * {@code again} accepts: at once when {@code pause} is zero, else after {@code pause}, doubled
   * before each further try.
   */
  private static <T> CompletionStage<T> retrying(
      java.util.function.Supplier<CompletionStage<T>> call, int attempts,
      java.util.function.Predicate<Throwable> again, Duration pause) {
    return call.get().handle((value, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(value);
      }
      if (!again.test(error) || attempts <= 1) {
        return CompletableFuture.<T>failedFuture(error);
      }
      if (pause.isZero()) {
        return retrying(call, attempts - 1, again, pause).toCompletableFuture();
      }
      Executor later = CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS);
      return CompletableFuture.supplyAsync(() -> null, later)
          .thenCompose(v -> retrying(call, attempts - 1, again, pause.multipliedBy(2)));
    }).thenCompose(stage -> stage);
  }

  /**
   * The version of an item's next change: above the item's, and at least the current time in
   * microseconds, so an item removed and added again goes on above what its pushes had reached.
   */
  private long nextVersion(Optional<RosterItem> before) {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
    return Math.max(before.map(RosterItem::version).orElse(0L) + 1, micros);
  }

  private void pass(String toJid, String xml) {
    outlet.pass(toJid, xml);
  }

  /** The bare JID of {@code jid}, canonical; refused with jid-malformed if it is none. */
  static String bare(String jid) {
    try {
      return Jid.parse(jid).bare().toString();
    } catch (JidMalformedException e) {
      throw new Refused("jid-malformed");
    }
  }
}

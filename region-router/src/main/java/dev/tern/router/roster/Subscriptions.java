package dev.tern.router.roster;

import dev.tern.storage.roster.RosterItem;
import java.util.Optional;

/**
 * The subscription state machine of RFC 6121 §3 and Appendix A, as pure functions of one roster
 * item: what a subscription stanza does to the roster of the user who sends it (outbound) and of
 * the user who receives it (inbound), and whether it goes further.
 *
 * <p>"Pending in" (the other side asked and waits for an answer) is not part of the item; it is
 * the stored {@link dev.tern.storage.roster.SubscriptionRequest}.
 */
final class Subscriptions {

  private Subscriptions() {}

  /**
   * What a stanza did.
   *
   * @param updated the item to store and push, if it changed
   * @param forward whether the stanza goes on: routed to the contact (outbound) or delivered to
   *     the receiving user's available resources (inbound)
   */
  record Change(Optional<RosterItem> updated, boolean forward) {

    static final Change NOTHING = new Change(Optional.empty(), false);

    static Change forward(Optional<RosterItem> updated) {
      return new Change(updated, true);
    }

    static Change silent(Optional<RosterItem> updated) {
      return new Change(updated, false);
    }
  }

  /** What the receiving side does with an inbound {@code subscribe} (RFC 6121 §3.1.3). */
  enum InboundSubscribe {
    /** The requester already has a subscription: the server answers {@code subscribed} itself. */
    ALREADY_APPROVED,
    /** The user pre-approved it (§3.4): the item becomes {@code from}, the server answers. */
    PRE_APPROVED,
    /** Kept as pending in and delivered to the user, now and at each login, until answered. */
    ASK_USER,
  }

  // ---- outbound: the user sends the stanza to a contact ----

  /** §3.1.2: the user asks to see the contact's presence: "pending out" unless already "to". */
  static Change outboundSubscribe(Optional<RosterItem> item, String contact) {
    RosterItem current = item.orElseGet(() -> RosterItem.of(contact));
    if (current.subscription().hasTo() || current.askSubscribe()) {
      return Change.forward(item.isPresent() ? Optional.empty() : Optional.of(current));
    }
    return Change.forward(Optional.of(current.withAsk(true)));
  }

  /** §3.3.2: the user stops seeing the contact's presence (or withdraws the request). */
  static Change outboundUnsubscribe(Optional<RosterItem> item) {
    if (item.isPresent() && (item.get().subscription().hasTo() || item.get().askSubscribe())) {
      RosterItem i = item.get();
      return Change.forward(Optional.of(i.withSubscription(i.subscription().withoutTo()).withAsk(false)));
    }
    return Change.forward(Optional.empty()); // the contact's side sorts out what it holds
  }

  /**
   * §3.1.5 and §3.4: the user lets the contact see the user's presence. With the contact's
   * request pending it becomes "from" and goes to the contact; without one it is a pre-approval,
   * which stays here.
   */
  static Change outboundSubscribed(Optional<RosterItem> item, String contact, boolean pendingIn) {
    RosterItem current = item.orElseGet(() -> RosterItem.of(contact));
    if (current.subscription().hasFrom()) {
      return Change.NOTHING;
    }
    if (pendingIn) {
      return Change.forward(Optional.of(
          current.withSubscription(current.subscription().withFrom()).withApproved(false)));
    }
    return current.approved() ? Change.NOTHING : Change.silent(Optional.of(current.withApproved(true)));
  }

  /** §3.2.2: the user refuses or cancels the contact's subscription (and any pre-approval). */
  static Change outboundUnsubscribed(Optional<RosterItem> item, boolean pendingIn) {
    if (item.isPresent() && (item.get().subscription().hasFrom() || item.get().approved())) {
      RosterItem i = item.get();
      return Change.forward(Optional.of(
          i.withSubscription(i.subscription().withoutFrom()).withApproved(false)));
    }
    return pendingIn ? Change.forward(Optional.empty()) : Change.NOTHING;
  }

  // ---- inbound: the user receives the stanza from a contact ----

  static InboundSubscribe inboundSubscribe(Optional<RosterItem> item) {
    if (item.isPresent() && item.get().subscription().hasFrom()) {
      return InboundSubscribe.ALREADY_APPROVED;
    }
    if (item.isPresent() && item.get().approved()) {
      return InboundSubscribe.PRE_APPROVED;
    }
    return InboundSubscribe.ASK_USER;
  }

  /** The item of a pre-approved contact whose request just arrived (§3.4). */
  static RosterItem preApproved(RosterItem item) {
    return item.withSubscription(item.subscription().withFrom()).withApproved(false);
  }

  /** §3.1.6: the contact approved: "pending out" becomes "to"; otherwise it is ignored. */
  static Change inboundSubscribed(Optional<RosterItem> item) {
    if (item.isPresent() && item.get().askSubscribe() && !item.get().subscription().hasTo()) {
      RosterItem i = item.get();
      return Change.forward(Optional.of(i.withSubscription(i.subscription().withTo()).withAsk(false)));
    }
    return Change.NOTHING;
  }

  /** §3.3.3: the contact stops seeing the user's presence. */
  static Change inboundUnsubscribe(Optional<RosterItem> item) {
    if (item.isPresent() && item.get().subscription().hasFrom()) {
      RosterItem i = item.get();
      return Change.forward(Optional.of(i.withSubscription(i.subscription().withoutFrom())));
    }
    return Change.NOTHING;
  }

  /** §3.2.3: the contact refused or cancelled the user's subscription. */
  static Change inboundUnsubscribed(Optional<RosterItem> item) {
    if (item.isPresent() && (item.get().subscription().hasTo() || item.get().askSubscribe())) {
      RosterItem i = item.get();
      return Change.forward(Optional.of(i.withSubscription(i.subscription().withoutTo()).withAsk(false)));
    }
    return Change.NOTHING;
  }
}

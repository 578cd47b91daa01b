package dev.tern.storage.roster;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * One contact on a user's roster (RFC 6121 §2.1.2).
 *
 * @param contact the contact's bare JID
 * @param name the user's name for the contact, if any
 * @param groups the roster groups the user put the contact in
 * @param subscription the presence subscription state
 * @param askSubscribe the user asked to subscribe to the contact and awaits the answer
 *     ({@code ask='subscribe'}, "pending out")
 * @param approved the user pre-approved the contact's subscription request (RFC 6121 §3.4)
 */
public record RosterItem(String contact, Optional<String> name, Set<String> groups,
    Subscription subscription, boolean askSubscribe, boolean approved) {

  public RosterItem {
    requireNonNull(contact, "contact");
    requireNonNull(name, "name");
    groups = Set.copyOf(requireNonNull(groups, "groups"));
    requireNonNull(subscription, "subscription");
  }

  /** A new item as a user adds it: no subscription yet. */
  public static RosterItem of(String contact) {
    return new RosterItem(contact, Optional.empty(), Set.of(), Subscription.NONE, false, false);
  }

  public RosterItem withName(Optional<String> newName) {
    return new RosterItem(contact, newName, groups, subscription, askSubscribe, approved);
  }

  public RosterItem withGroups(Set<String> newGroups) {
    return new RosterItem(contact, name, newGroups, subscription, askSubscribe, approved);
  }

  public RosterItem withSubscription(Subscription s) {
    return new RosterItem(contact, name, groups, s, askSubscribe, approved);
  }

  public RosterItem withAsk(boolean ask) {
    return new RosterItem(contact, name, groups, subscription, ask, approved);
  }

  public RosterItem withApproved(boolean a) {
    return new RosterItem(contact, name, groups, subscription, askSubscribe, a);
  }
}

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
 * @param version raised by every stored change of the item, 0 for one never versioned: the
 *     routers of two regions change one item and push it, and the pushes may arrive in another
 *     order than the changes; the edge delivers only a push newer than the last it delivered
 */
public record RosterItem(String contact, Optional<String> name, Set<String> groups,
    Subscription subscription, boolean askSubscribe, boolean approved, long version) {

  public RosterItem {
    requireNonNull(contact, "contact");
    requireNonNull(name, "name");
    groups = Set.copyOf(requireNonNull(groups, "groups"));
    requireNonNull(subscription, "subscription");
    if (version < 0) {
      throw new IllegalArgumentException("version " + version + " < 0");
    }
  }

  /** An item not versioned yet (as a client sends it, or before its first stored change). */
  public RosterItem(String contact, Optional<String> name, Set<String> groups,
      Subscription subscription, boolean askSubscribe, boolean approved) {
    this(contact, name, groups, subscription, askSubscribe, approved, 0);
  }

  /** A new item as a user adds it: no subscription yet. */
  public static RosterItem of(String contact) {
    return new RosterItem(contact, Optional.empty(), Set.of(), Subscription.NONE, false, false);
  }

  public RosterItem withName(Optional<String> newName) {
    return new RosterItem(contact, newName, groups, subscription, askSubscribe, approved, version);
  }

  public RosterItem withGroups(Set<String> newGroups) {
    return new RosterItem(contact, name, newGroups, subscription, askSubscribe, approved,
        version);
  }

  public RosterItem withSubscription(Subscription s) {
    return new RosterItem(contact, name, groups, s, askSubscribe, approved, version);
  }

  public RosterItem withAsk(boolean ask) {
    return new RosterItem(contact, name, groups, subscription, ask, approved, version);
  }

  public RosterItem withApproved(boolean a) {
    return new RosterItem(contact, name, groups, subscription, askSubscribe, a, version);
  }

  public RosterItem withVersion(long v) {
    return new RosterItem(contact, name, groups, subscription, askSubscribe, approved, v);
  }
}

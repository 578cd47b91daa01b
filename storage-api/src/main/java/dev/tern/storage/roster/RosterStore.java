package dev.tern.storage.roster;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Each user's roster (RFC 6121 §2) and the subscription requests waiting for the user's answer
 * (§3.1.3). Users and contacts are bare JIDs.
 */
public interface RosterStore {

  /** The user's roster, in no particular order; empty for a user without one. */
  CompletionStage<List<RosterItem>> items(String user);

  /** The user's item for {@code contact}, if the roster has one. */
  CompletionStage<Optional<RosterItem>> item(String user, String contact);

  /** Adds the item or replaces the one for the same contact. */
  CompletionStage<Void> put(String user, RosterItem item);

  /**
   * Writes {@code updated} only if the item for its contact still has the subscription state
   * and version of {@code expected} (subscription, ask, approved, version; empty: no item at
   * all), atomically; completes with whether the item is now {@code updated}. Two routers
   * changing one item at the same moment (the two sides of a subscription, in two regions)
   * cannot both succeed from the same state: the loser reads again and re-applies its change.
   *
   * <p>A versioned {@code updated} (version above 0) found stored, or replaced by the change
   * right after it, counts as written: under contention a Paxos round can be finished by the
   * competing one, and then reports its own write as not applied (or its outcome as unknown)
   * though it is in. Versions are unique enough to tell.
   */
  CompletionStage<Boolean> replace(String user, Optional<RosterItem> expected, RosterItem updated);

  /** Removes the item for {@code contact}; removing an absent item is no error. */
  CompletionStage<Void> remove(String user, String contact);

  /** Keeps a request for the user (one per requester: a repeated request replaces it). */
  CompletionStage<Void> addRequest(String user, SubscriptionRequest request);

  /** The requests waiting for the user's answer, oldest first. */
  CompletionStage<List<SubscriptionRequest>> requests(String user);

  /** The user answered {@code from}'s request (or {@code from} withdrew it). */
  CompletionStage<Void> removeRequest(String user, String from);
}

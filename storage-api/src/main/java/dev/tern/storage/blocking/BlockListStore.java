package dev.tern.storage.blocking;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Each user's block list (XEP-0191): the JIDs the user blocked, any kind of JID (a bare JID, a
 * full JID, a domain, a domain with a resource; XEP-0191 §5). The store keeps the strings it is
 * given; callers pass them in canonical form (RFC 7622) so that one JID is one entry. A user is
 * named by its bare JID.
 *
 * <p>Every operation is asynchronous because the product's implementation waits for Cassandra; a
 * stage completes exceptionally when the back-end could not answer.
 */
public interface BlockListStore {

  /** The JIDs {@code user} blocked, in no particular order; empty when none. */
  CompletionStage<Set<String>> blocked(String user);

  /** Adds {@code jids} to {@code user}'s list; JIDs already on it stay as they are. */
  CompletionStage<Void> block(String user, Collection<String> jids);

  /** Removes {@code jids} from {@code user}'s list; JIDs not on it are ignored. */
  CompletionStage<Void> unblock(String user, Collection<String> jids);

  /** Empties {@code user}'s list (XEP-0191 §3.5). */
  CompletionStage<Void> unblockAll(String user);
}

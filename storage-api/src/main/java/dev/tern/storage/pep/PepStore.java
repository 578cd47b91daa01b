package dev.tern.storage.pep;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Each user's PEP nodes (XEP-0163): per owner (a bare JID) and node name, the node's
 * configuration and its items, newest first. The store checks no permission: the router decides
 * who may read or change what.
 *
 * <p>Every operation is asynchronous because the product's implementation waits for Cassandra; a
 * stage completes exceptionally when the back-end could not answer.
 */
public interface PepStore {

  /** The node's configuration, if the owner has that node. */
  CompletionStage<Optional<NodeConfig>> node(String owner, String node);

  /** Every node of the owner with its configuration; empty when none. */
  CompletionStage<Map<String, NodeConfig>> nodes(String owner);

  /**
   * Creates the node with {@code config}, or changes an existing node's configuration and drops
   * its oldest items beyond what it now keeps ({@link NodeConfig#kept()}).
   */
  CompletionStage<Void> configure(String owner, String node, NodeConfig config);

  /**
   * Adds {@code item} to an existing node, replacing an item of the same id, and drops the
   * oldest items beyond what the node keeps. Completes exceptionally with
   * {@link java.util.NoSuchElementException} when the node does not exist.
   */
  CompletionStage<Void> publish(String owner, String node, PepItem item);

  /** At most {@code max} of the node's items, newest first; empty for an absent node. */
  CompletionStage<List<PepItem>> items(String owner, String node, int max);

  /** The node's items of the given ids that it holds, newest first. */
  CompletionStage<List<PepItem>> items(String owner, String node, Collection<String> ids);

  /** Removes the item; completes with whether the node held it. */
  CompletionStage<Boolean> retract(String owner, String node, String itemId);

  /** Removes the node and its items; completes with whether it existed. */
  CompletionStage<Boolean> delete(String owner, String node);
}

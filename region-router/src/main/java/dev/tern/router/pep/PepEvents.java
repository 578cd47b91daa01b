package dev.tern.router.pep;

import dev.tern.storage.pep.NodeConfig;
import dev.tern.storage.pep.PepItem;

/** What happened to a node, for the notifications of XEP-0163 §4.3; nothing by default. */
interface PepEvents {

  /** {@code item} was published to the owner's node. */
  default void published(String owner, String node, NodeConfig config, PepItem item) {}

  /** The item was retracted with {@code notify} (XEP-0060 §7.2.2.1). */
  default void retracted(String owner, String node, NodeConfig config, String itemId) {}

  /** Every item of the node was purged (XEP-0060 §8.5.2). */
  default void purged(String owner, String node, NodeConfig config) {}

  /** The node was deleted (XEP-0060 §8.4.2). */
  default void deleted(String owner, String node, NodeConfig config) {}
}

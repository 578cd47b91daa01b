package dev.tern.storage.pep;

import static java.util.Objects.requireNonNull;

/**
 * A PEP node's configuration (XEP-0060 §16.4, the options PEP honours).
 *
 * @param access who may read the items ({@code pubsub#access_model})
 * @param maxItems how many items the node keeps, newest first, 1 to {@link #MAX_ITEMS}
 *     ({@code pubsub#max_items}; {@code max} means {@link #MAX_ITEMS})
 * @param persistItems {@code pubsub#persist_items}; a node that does not persist still keeps its
 *     last item, for the notification a contact gets when it comes online (XEP-0163 §4.3.3)
 */
public record NodeConfig(AccessModel access, int maxItems, boolean persistItems) {

  /** The most items a node keeps: what {@code pubsub#max_items = max} stands for. */
  public static final int MAX_ITEMS = 256;

  /** XEP-0163's defaults: presence access, the last item only, persisted. */
  public static final NodeConfig DEFAULT = new NodeConfig(AccessModel.PRESENCE, 1, true);

  public NodeConfig {
    requireNonNull(access, "access");
    if (maxItems < 1 || maxItems > MAX_ITEMS) {
      throw new IllegalArgumentException("maxItems " + maxItems + " not in 1.." + MAX_ITEMS);
    }
  }

  /** How many items the store keeps: {@link #maxItems}, or one when items are not persisted. */
  public int kept() {
    return persistItems ? maxItems : 1;
  }
}

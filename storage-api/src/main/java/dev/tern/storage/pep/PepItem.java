package dev.tern.storage.pep;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One published item.
 *
 * @param id the item's id (XEP-0060 §7.1.2), unique within its node
 * @param payload the item's payload, one serialized XML element (empty for an item without one)
 * @param published when it was published; a node lists its items newest first by this
 */
public record PepItem(String id, String payload, Instant published) {

  public PepItem {
    requireNonNull(id, "id");
    requireNonNull(payload, "payload");
    requireNonNull(published, "published");
  }
}

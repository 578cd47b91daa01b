package dev.tern.router.chats;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.messages.ChatSeq;
import java.time.Duration;

/**
 * How a region's chats are sequenced.
 *
 * @param shards shards of each region's chats; a lease covers one shard
 * @param lease how long a lease lasts unless renewed; its owner renews it every quarter of that,
 *     stops numbering a fifth of it before it lapses, and another router may take it once lapsed
 * @param routerName this router's stable name: a router restarted under the same name takes its
 *     own leases back at once instead of waiting for them to lapse. Two routers running at once
 *     must never share a name
 * @param regionSlot this region's place (0–7) in the federation's sorted list of regions: the
 *     low bits of every epoch it starts, so two regions never start the same epoch
 * @param regions every region of the federation: the only ones whose chats this router takes
 *     over when their routers go quiet
 */
public record ChatSettings(int shards, Duration lease, String routerName, int regionSlot,
    java.util.Set<String> regions) {

  public static final int MAX_REGIONS = 8;

  public ChatSettings {
    requireNonNull(lease, "lease");
    requireNonNull(routerName, "routerName");
    regions = java.util.Set.copyOf(requireNonNull(regions, "regions"));
    if (shards < 1 || shards > 4096) {
      throw new IllegalArgumentException("chats.shards: 1 to 4096, was " + shards);
    }
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("chats.lease: at least 1s, was " + lease);
    }
    if (!routerName.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("chats.routerName: letters, digits, - and _ only: "
          + routerName);
    }
    if (regionSlot < 0 || regionSlot >= MAX_REGIONS) {
      throw new IllegalArgumentException("regionSlot: 0 to 7, was " + regionSlot);
    }
  }

  public static ChatSettings defaults(String region) {
    return new ChatSettings(16, Duration.ofSeconds(10), region + "-router", 0,
        java.util.Set.of(region));
  }

  /** The epoch after {@code previous} (0: none yet) that this region starts. */
  long nextEpoch(long previous) {
    long epoch = ((previous / MAX_REGIONS) + 1) * MAX_REGIONS + regionSlot;
    if (epoch > ChatSeq.MAX_EPOCH) {
      throw new IllegalStateException("epochs exhausted: " + previous);
    }
    return epoch;
  }
}

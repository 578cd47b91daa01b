package dev.tern.storage.chats;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Who numbers the chats of one shard, and until when.
 *
 * @param home the region whose chats the shard holds (a chat's home region)
 * @param shard the shard of the home region's chats, {@code 0 <= shard}
 * @param owner the router holding the lease, by its stable name
 * @param epoch raised by every change of owner: the fencing token that the owner's sequence
 *     numbers carry in their highest bits
 * @param expires when the lease lapses unless renewed, by the owner's clock
 */
public record ChatLease(String home, int shard, String owner, long epoch, Instant expires) {

  public ChatLease {
    requireNonNull(home, "home");
    requireNonNull(owner, "owner");
    expires = requireNonNull(expires, "expires").truncatedTo(ChronoUnit.MILLIS);
    if (shard < 0) {
      throw new IllegalArgumentException("shard: must not be negative, was " + shard);
    }
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch: must be at least 1, was " + epoch);
    }
  }

  public ChatLease withExpires(Instant until) {
    return new ChatLease(home, shard, owner, epoch, until);
  }
}

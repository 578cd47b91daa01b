package dev.tern.storage.chats;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The leases by which one router at a time numbers the chats of a shard (schema v11). Leases
 * change by compare-and-set within the caller's region (in Cassandra a lightweight transaction
 * at {@code LOCAL_SERIAL}): paid when a lease is taken or renewed, never per message.
 */
public interface ChatLeaseStore {

  /** Every lease of every region, as this region last saw them. */
  CompletionStage<List<ChatLease>> all();

  /**
   * The shard's lease as the compare-and-set sees it (in Cassandra read at
   * {@code LOCAL_SERIAL}, which settles any round in progress), if there is one.
   */
  CompletionStage<Optional<ChatLease>> read(String home, int shard);

  /**
   * Replaces the shard's lease by {@code next} if it is still {@code expected} (same owner,
   * epoch and expiry; empty: there is none yet). Completes with whether it did.
   */
  CompletionStage<Boolean> replace(Optional<ChatLease> expected, ChatLease next);
}

package dev.tern.storage.archive;

import dev.tern.storage.messages.StoredMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Every user's archive of 1:1 messages (XEP-0313 §3): an index of the messages a user sent or
 * received, in the order of {@link ArchivePosition}, each known by its stanza-id.
 *
 * <p>The router indexes a message once it is stored and before it acknowledges it, so that an
 * acknowledged message is in both archives. Indexing is idempotent: a message indexed twice (a
 * retried append, a resend answered from the stored original) is there once, at the same
 * position, because everything the index holds comes from the stored message.
 */
public interface ArchiveStore {

  /** Largest page one call may ask for. */
  int MAX_LIMIT = 10_000;

  /** Throws unless {@code limit} is a page size {@link #page} takes: 1 to {@link #MAX_LIMIT}. */
  static void checkLimit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit: must be within 1.." + MAX_LIMIT + ", was " + limit);
    }
  }

  /**
   * Indexes {@code m} in the archives of its sender and of its recipient (once if they are the
   * same user), completing once durable; doing it again changes nothing.
   */
  CompletionStage<Void> add(StoredMessage m);

  /** The message with this stanza-id in {@code user}'s archive, if it is there. */
  CompletionStage<Optional<ArchiveEntry>> find(String user, String stanzaId);

  /**
   * Up to {@code limit} entries of the range: its oldest first, or with {@code newestFirst} its
   * newest first (for paging backwards from the end, XEP-0059 §2.5); {@link #checkLimit} says
   * which limits are taken.
   */
  CompletionStage<List<ArchiveEntry>> page(ArchiveRange range, boolean newestFirst, int limit);
}

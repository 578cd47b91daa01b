package dev.tern.storage.messages;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unread queues in Cassandra (migration v12, beside v5's {@code unread_index}), one partition
 * per user in two tables. The queue holds references: a message is stored once, in
 * {@code chat_messages} ({@link CassandraMessageStore}), and read from there.
 *
 * <ul>
 *   <li>{@code unread_refs (username, stored_at, chat_id, seq)}: where each queued message is,
 *       clustered in the queue's order, so that a batch is one slice of one partition. No
 *       payload.
 *   <li>{@code unread_index (username, chat_id, seq) → stored_at}: finds a queued message's
 *       entry by what an acknowledgement names (chat and seq), which {@link #remove} needs because
 *       {@code stored_at} leads the clustering key of {@code unread_refs}.
 * </ul>
 * The v5 table {@code unread}, which held a copy of each stanza, is no longer written or read;
 * entries queued there before v12 are not carried over (their messages remain in the chats and
 * the archives).
 *
 * <h2>Writes</h2>
 * {@link #add} writes the entry and its index row as two plain writes at once, not in a logged
 * batch (whose batchlog costs more than both writes), at the session's consistency
 * (LOCAL_QUORUM): a user's queue is read in the region the user is connected to and reaches the
 * others by replication. A crash between the two is harmless:
 * <ul>
 *   <li>an entry without its index row is still removed: {@link #remove} then looks for the
 *       entry at {@link ChatSeq#time}{@code (seq)}, which is where the chat's sequencer puts every
 *       message it numbers ({@code storedAt == ChatSeq.time(seq)});
 *   <li>an index row without its entry is never read; a later {@code remove} deletes it.
 * </ul>
 * The message's row must be written before its entry is (the router writes the message first):
 * an entry is meant to refer to a row that exists.
 *
 * <h2>Reads</h2>
 * {@link #peek} and {@link #peekAfter} read a slice of entries, then their messages from
 * {@code chat_messages}, all at once, and return them in the queue's order. An entry whose
 * message is not there is skipped and the slice read on past it, so a batch shorter than asked
 * still means the end of the queue. Such an entry is deleted (best effort, nothing waits for it)
 * once it is older than {@link #ORPHAN_AFTER}: its message expired by retention, or its writer
 * failed before acknowledging it. A younger one is only skipped, since its message may yet
 * arrive: written in another region, it reaches this one by replication, not necessarily after
 * the entry.
 *
 * <h2>Retention</h2>
 * With a retention, entries and index rows get it plus {@link #TTL_MARGIN} as their TTL, so an
 * entry never expires before its message does (which is written first, with the retention as its
 * TTL) and an unread message is not dropped from the queue while it can still be read.
 */
public final class CassandraUnreadQueue implements UnreadQueue {

  private static final Logger log = LoggerFactory.getLogger(CassandraUnreadQueue.class);

  /**
   * How much longer than its message an entry lives under a retention: covers the entry being
   * written after the message and the clocks of the coordinators that set both TTLs.
   */
  static final Duration TTL_MARGIN = Duration.ofHours(1);

  /**
   * How old an entry whose message is missing must be before a read deletes it; far longer than
   * replication between the regions normally takes (a region cut off for longer catches up by
   * Cassandra's hints and repair, and its users by the archive).
   */
  static final Duration ORPHAN_AFTER = Duration.ofDays(1);

  /** A queued message's place: the clustering key of its {@code unread_refs} row. */
  private record Ref(Instant storedAt, ChatId chat, long seq) {}

  private final CqlSession session;
  private final Clock clock;
  private final int ttlSeconds;
  private final PreparedStatement insertRef;
  private final PreparedStatement insertIndex;
  private final PreparedStatement selectPeek;
  private final PreparedStatement selectPeekAfter;
  private final PreparedStatement selectRef;
  private final PreparedStatement selectIndex;
  private final PreparedStatement selectMessage;
  private final PreparedStatement deleteRef;
  private final PreparedStatement deleteIndex;

  /** Queues whose entries never expire; needs the keyspace migrated to v12. */
  public CassandraUnreadQueue(CqlSession session, String keyspace) {
    this(session, keyspace, Duration.ZERO);
  }

  /**
   * Queues for messages stored with {@code retention} ({@link Duration#ZERO}: kept for ever), the
   * retention given to {@link CassandraMessageStore}; needs the keyspace migrated to v12.
   */
  public CassandraUnreadQueue(CqlSession session, String keyspace, Duration retention) {
    this(session, keyspace, retention, Clock.systemUTC());
  }

  CassandraUnreadQueue(CqlSession session, String keyspace, Duration retention, Clock clock) {
    this.session = requireNonNull(session, "session");
    requireNonNull(keyspace, "keyspace");
    this.clock = requireNonNull(clock, "clock");
    this.ttlSeconds = ttlSeconds(retention);
    String refs = keyspace + ".unread_refs";
    String index = keyspace + ".unread_index";
    String refKey = "username = ? AND stored_at = ? AND chat_id = ? AND seq = ?";
    this.insertRef = session.prepare("INSERT INTO " + refs
        + " (username, stored_at, chat_id, seq) VALUES (?, ?, ?, ?) USING TTL ?");
    this.insertIndex = session.prepare("INSERT INTO " + index
        + " (username, chat_id, seq, stored_at) VALUES (?, ?, ?, ?) USING TTL ?");
    this.selectPeek = session.prepare("SELECT stored_at, chat_id, seq FROM " + refs
        + " WHERE username = ? LIMIT ?");
    this.selectPeekAfter = session.prepare("SELECT stored_at, chat_id, seq FROM " + refs
        + " WHERE username = ? AND (stored_at, chat_id, seq) > (?, ?, ?) LIMIT ?");
    this.selectRef = session.prepare("SELECT seq FROM " + refs + " WHERE " + refKey);
    this.selectIndex = session.prepare("SELECT stored_at FROM " + index
        + " WHERE username = ? AND chat_id = ? AND seq = ?");
    this.selectMessage = session.prepare("SELECT " + CassandraMessageStore.MESSAGE_COLUMNS
        + " FROM " + keyspace + ".chat_messages WHERE chat_id = ? AND bucket = ? AND seq = ?");
    this.deleteRef = session.prepare("DELETE FROM " + refs + " WHERE " + refKey);
    this.deleteIndex = session.prepare("DELETE FROM " + index
        + " WHERE username = ? AND chat_id = ? AND seq = ?");
  }

  /** An entry's TTL: {@link #TTL_MARGIN} past the retention, none (0) without one. */
  static int ttlSeconds(Duration retention) {
    int messages = CassandraMessageStore.ttlSeconds(retention);
    return messages == 0 ? 0 : (int) Math.min(
        messages + TTL_MARGIN.getSeconds(), CassandraMessageStore.MAX_TTL_SECONDS);
  }

  @Override
  public CompletionStage<Void> add(String user, StoredMessage m) {
    requireNonNull(user, "user");
    requireNonNull(m, "m");
    String chat = m.chat().value();
    // Two plain writes at once; a crash between them is harmless (see the class comment).
    CompletableFuture<AsyncResultSet> ref = session.executeAsync(
        insertRef.bind(user, m.storedAt(), chat, m.seq(), ttlSeconds)).toCompletableFuture();
    CompletableFuture<AsyncResultSet> index = session.executeAsync(
        insertIndex.bind(user, chat, m.seq(), m.storedAt(), ttlSeconds)).toCompletableFuture();
    return CompletableFuture.allOf(ref, index);
  }

  @Override
  public CompletionStage<List<StoredMessage>> peek(String user, int limit) {
    requireNonNull(user, "user");
    checkLimit(limit);
    return fill(user, selectPeek.bind(user, limit), limit, limit, new ArrayList<>());
  }

  @Override
  public CompletionStage<List<StoredMessage>> peekAfter(String user, Instant storedAt,
      ChatId chat, long seq, int limit) {
    requireNonNull(user, "user");
    requireNonNull(storedAt, "storedAt");
    requireNonNull(chat, "chat");
    checkLimit(limit);
    return fill(user, selectPeekAfter.bind(user, storedAt, chat.value(), seq, limit), limit,
        limit, new ArrayList<>());
  }

  private static void checkLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit: must be at least 1, was " + limit);
    }
  }

  /**
   * Reads a slice of {@code asked} entries and their messages into {@code into}; while entries
   * were skipped and the slice was full, reads on after its last entry until {@code limit}
   * messages are in or the queue ends.
   */
  private CompletionStage<List<StoredMessage>> fill(String user, BoundStatement slice, int asked,
      int limit, List<StoredMessage> into) {
    return session.executeAsync(slice)
        .thenCompose(rs -> collectRefs(rs, new ArrayList<>()))
        .thenCompose(refs -> messages(user, refs).thenCompose(found -> {
          into.addAll(found);
          int missing = limit - into.size();
          if (missing <= 0 || refs.size() < asked) {
            return CompletableFuture.completedFuture(List.copyOf(into));
          }
          Ref last = refs.get(refs.size() - 1);
          return fill(user, selectPeekAfter.bind(user, last.storedAt(), last.chat().value(),
              last.seq(), missing), missing, limit, into);
        }));
  }

  private static CompletionStage<List<Ref>> collectRefs(AsyncResultSet rs, List<Ref> into) {
    for (Row row : rs.currentPage()) {
      into.add(new Ref(requireNonNull(row.getInstant("stored_at"), "stored_at is null"),
          new ChatId(requireNonNull(row.getString("chat_id"), "chat_id is null")),
          row.getLong("seq")));
    }
    return rs.hasMorePages()
        ? rs.fetchNextPage().thenCompose(next -> collectRefs(next, into))
        : CompletableFuture.completedFuture(into);
  }

  /** The entries' messages, read all at once, in the entries' order; missing ones left out. */
  private CompletionStage<List<StoredMessage>> messages(String user, List<Ref> refs) {
    List<CompletableFuture<Optional<StoredMessage>>> reads = new ArrayList<>(refs.size());
    for (Ref ref : refs) {
      reads.add(session.executeAsync(
              selectMessage.bind(ref.chat().value(), ChatSeq.bucket(ref.seq()), ref.seq()))
          .thenApply(rs -> Optional.ofNullable(rs.one()).map(CassandraMessageStore::toMessage))
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<StoredMessage> found = new ArrayList<>(refs.size());
      for (int i = 0; i < refs.size(); i++) {
        Optional<StoredMessage> m = reads.get(i).join();
        if (m.isPresent()) {
          found.add(m.get());
        } else {
          forgetIfOrphaned(user, refs.get(i));
        }
      }
      return found;
    });
  }

  /** Deletes an entry whose message is missing once it is old enough not to be still coming. */
  private void forgetIfOrphaned(String user, Ref ref) {
    if (ref.storedAt().isAfter(clock.instant().minus(ORPHAN_AFTER))) {
      return;
    }
    delete(user, ref.storedAt(), ref.chat(), ref.seq()).whenComplete((v, error) -> {
      if (error != null) {
        log.debug("unread entry {}/{} of {} without its message not deleted: {}",
            ref.chat().value(), ref.seq(), user, error.toString());
      }
    });
  }

  @Override
  public CompletionStage<Void> remove(String user, ChatId chat, long seq) {
    requireNonNull(user, "user");
    requireNonNull(chat, "chat");
    return session.executeAsync(selectIndex.bind(user, chat.value(), seq))
        .thenCompose(rs -> {
          Row row = rs.one();
          Instant indexed = row == null ? null : row.getInstant("stored_at");
          if (indexed != null) {
            return delete(user, indexed, chat, seq);
          }
          // Not queued, removed already, or add stopped between its two writes: the entry, if
          // any, is where the sequencer put it. Looked for first, not to leave a tombstone in
          // the user's queue for every repeated acknowledgement.
          Instant storedAt = ChatSeq.time(seq);
          return session.executeAsync(selectRef.bind(user, storedAt, chat.value(), seq))
              .thenCompose(ref -> ref.one() == null
                  ? CompletableFuture.<Void>completedFuture(null)
                  : session.executeAsync(deleteRef.bind(user, storedAt, chat.value(), seq))
                      .thenApply(done -> (Void) null));
        });
  }

  /**
   * Deletes an entry and its index row, two plain deletes at once: if only the index row goes,
   * {@link #remove} still finds the entry at {@link ChatSeq#time}; if only the entry goes, the
   * index row is never read.
   */
  private CompletableFuture<Void> delete(String user, Instant storedAt, ChatId chat, long seq) {
    CompletableFuture<AsyncResultSet> ref = session.executeAsync(
        deleteRef.bind(user, storedAt, chat.value(), seq)).toCompletableFuture();
    CompletableFuture<AsyncResultSet> index = session.executeAsync(
        deleteIndex.bind(user, chat.value(), seq)).toCompletableFuture();
    return CompletableFuture.allOf(ref, index);
  }
}

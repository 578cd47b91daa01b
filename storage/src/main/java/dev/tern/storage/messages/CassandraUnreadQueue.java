package dev.tern.storage.messages;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The unread queues in Cassandra (migration v5), one partition per user in two tables.
 *
 * <ul>
 *   <li>{@code unread (username, stored_at, chat_id, seq)} holds a copy of each queued message,
 *       clustered in the queue's order, so that {@link #peek} is one slice of one partition and
 *       delivering offline messages reads nothing else.
 *   <li>{@code unread_index (username, chat_id, seq) → stored_at} finds a queued message's row
 *       by what an acknowledgement names (chat and seq), which {@link #remove} needs because
 *       {@code stored_at} leads the clustering key of {@code unread}.
 * </ul>
 *
 * <p>Both are written together in a logged batch, so that a crash between them cannot leave a
 * queued message that cannot be removed. Plain writes at the session's consistency
 * (LOCAL_QUORUM): a user's queue is read in the region the user is connected to, and reaches the
 * others by replication.
 */
public final class CassandraUnreadQueue implements UnreadQueue {

  private static final String MESSAGE_COLUMNS =
      "chat_id, seq, stanza_id, sender, recipient, origin_id, stanza_xml, stored_at";

  private final CqlSession session;
  private final PreparedStatement insertUnread;
  private final PreparedStatement insertIndex;
  private final PreparedStatement selectPeek;
  private final PreparedStatement selectPeekAfter;
  private final PreparedStatement selectIndex;
  private final PreparedStatement deleteUnread;
  private final PreparedStatement deleteIndex;

  /** Prepares the statements, which needs the keyspace migrated to v5. */
  public CassandraUnreadQueue(CqlSession session, String keyspace) {
    this.session = requireNonNull(session, "session");
    requireNonNull(keyspace, "keyspace");
    String unread = keyspace + ".unread";
    String index = keyspace + ".unread_index";
    this.insertUnread = session.prepare("INSERT INTO " + unread + " (username, " + MESSAGE_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    this.insertIndex = session.prepare("INSERT INTO " + index
        + " (username, chat_id, seq, stored_at) VALUES (?, ?, ?, ?)");
    this.selectPeek = session.prepare("SELECT " + MESSAGE_COLUMNS + " FROM " + unread
        + " WHERE username = ? LIMIT ?");
    this.selectPeekAfter = session.prepare("SELECT " + MESSAGE_COLUMNS + " FROM " + unread
        + " WHERE username = ? AND (stored_at, chat_id, seq) > (?, ?, ?) LIMIT ?");
    this.selectIndex = session.prepare("SELECT stored_at FROM " + index
        + " WHERE username = ? AND chat_id = ? AND seq = ?");
    this.deleteUnread = session.prepare("DELETE FROM " + unread
        + " WHERE username = ? AND stored_at = ? AND chat_id = ? AND seq = ?");
    this.deleteIndex = session.prepare("DELETE FROM " + index
        + " WHERE username = ? AND chat_id = ? AND seq = ?");
  }

  @Override
  public CompletionStage<Void> add(String user, StoredMessage m) {
    requireNonNull(user, "user");
    requireNonNull(m, "m");
    BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.LOGGED,
        insertUnread.bind(user, m.chat().value(), m.seq(), m.stanzaId(), m.sender(),
            m.recipient(), m.originId().orElse(null), m.stanzaXml(), m.storedAt()),
        insertIndex.bind(user, m.chat().value(), m.seq(), m.storedAt()));
    return session.executeAsync(batch).thenApply(rs -> null);
  }

  @Override
  public CompletionStage<List<StoredMessage>> peek(String user, int limit) {
    requireNonNull(user, "user");
    if (limit < 1) {
      throw new IllegalArgumentException("limit: must be at least 1, was " + limit);
    }
    return session.executeAsync(selectPeek.bind(user, limit))
        .thenCompose(rs -> collect(rs, new ArrayList<>()));
  }

  private static CompletionStage<List<StoredMessage>> collect(
      AsyncResultSet rs, List<StoredMessage> into) {
    for (Row row : rs.currentPage()) {
      into.add(CassandraMessageStore.toMessage(row));
    }
    if (rs.hasMorePages()) {
      return rs.fetchNextPage().thenCompose(next -> collect(next, into));
    }
    return CompletableFuture.completedFuture(into);
  }

  @Override
  public CompletionStage<Void> remove(String user, ChatId chat, long seq) {
    requireNonNull(user, "user");
    requireNonNull(chat, "chat");
    return session.executeAsync(selectIndex.bind(user, chat.value(), seq))
        .thenCompose(rs -> {
          Row row = rs.one();
          Instant storedAt = row == null ? null : row.getInstant("stored_at");
          if (storedAt == null) {
            return CompletableFuture.completedFuture(null);
          }
          BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.LOGGED,
              deleteUnread.bind(user, storedAt, chat.value(), seq),
              deleteIndex.bind(user, chat.value(), seq));
          return session.executeAsync(batch).thenApply(done -> null);
        });
  }

  @Override
  public CompletionStage<List<StoredMessage>> peekAfter(String user, java.time.Instant storedAt,
      ChatId chat, long seq, int limit) {
    requireNonNull(user, "user");
    if (limit < 1) {
      throw new IllegalArgumentException("limit: must be at least 1, was " + limit);
    }
    return session.executeAsync(selectPeekAfter.bind(user, storedAt, chat.value(), seq, limit))
        .thenCompose(rs -> collect(rs, new ArrayList<>()));
  }
}

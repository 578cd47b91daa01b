package dev.tern.storage.blocking;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The block lists in Cassandra: table {@code blocklist (username, jid) → blocked_at} (migration
 * v8), one partition per user, one row per blocked JID. A block or unblock of several JIDs is
 * written in unlogged batches of at most {@value #BATCH} rows on that one partition, each applied
 * atomically by Cassandra (a longer list is several batches, so a failure may leave part of it
 * done: the caller's retry completes it); unblocking all deletes the partition.
 *
 * <p>Reads and writes use the session's consistency (LOCAL_QUORUM), so a change is visible at
 * once in the region that made it and reaches the others by replication; the routers' caches in
 * front of this store are described in {@code docs/design/messaging.md}, section "Blocking".
 */
public final class CassandraBlockListStore implements BlockListStore {

  /** Rows per batch: well under Cassandra's batch size limits even for long JIDs. */
  static final int BATCH = 16;

  private final CqlSession session;
  private final Clock clock;
  private final PreparedStatement insert;
  private final PreparedStatement select;
  private final PreparedStatement deleteOne;
  private final PreparedStatement deleteAll;

  /** Prepares the statements, which needs the keyspace migrated to v8. */
  public CassandraBlockListStore(CqlSession session, String keyspace) {
    this(session, keyspace, Clock.systemUTC());
  }

  CassandraBlockListStore(CqlSession session, String keyspace, Clock clock) {
    this.session = requireNonNull(session, "session");
    requireNonNull(keyspace, "keyspace");
    this.clock = requireNonNull(clock, "clock");
    String table = keyspace + ".blocklist";
    this.insert = session.prepare(
        "INSERT INTO " + table + " (username, jid, blocked_at) VALUES (?, ?, ?)");
    this.select = session.prepare("SELECT jid FROM " + table + " WHERE username = ?");
    this.deleteOne = session.prepare("DELETE FROM " + table + " WHERE username = ? AND jid = ?");
    this.deleteAll = session.prepare("DELETE FROM " + table + " WHERE username = ?");
  }

  @Override
  public CompletionStage<Set<String>> blocked(String user) {
    requireNonNull(user, "user");
    return session.executeAsync(select.bind(user))
        .thenCompose(rs -> collect(rs, new HashSet<>()))
        .thenApply(Set::copyOf);
  }

  private static CompletionStage<Set<String>> collect(AsyncResultSet rs, Set<String> into) {
    for (Row row : rs.currentPage()) {
      into.add(requireNonNull(row.getString("jid"), "blocklist.jid is null"));
    }
    if (rs.hasMorePages()) {
      return rs.fetchNextPage().thenCompose(next -> collect(next, into));
    }
    return CompletableFuture.completedFuture(into);
  }

  @Override
  public CompletionStage<Void> block(String user, Collection<String> jids) {
    requireNonNull(user, "user");
    Set<String> distinct = new LinkedHashSet<>(jids);
    distinct.forEach(jid -> requireNonNull(jid, "jid"));
    if (distinct.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Instant now = clock.instant();
    return inBatches(distinct.stream().map(jid -> insert.bind(user, jid, now)).toList());
  }

  @Override
  public CompletionStage<Void> unblock(String user, Collection<String> jids) {
    requireNonNull(user, "user");
    Set<String> distinct = new LinkedHashSet<>(jids);
    distinct.forEach(jid -> requireNonNull(jid, "jid"));
    if (distinct.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return inBatches(distinct.stream().map(jid -> deleteOne.bind(user, jid)).toList());
  }

  /** Runs the statements of one partition in unlogged batches of {@link #BATCH}, one by one. */
  private CompletionStage<Void> inBatches(List<BoundStatement> statements) {
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (int from = 0; from < statements.size(); from += BATCH) {
      BatchStatementBuilder b = BatchStatement.builder(DefaultBatchType.UNLOGGED);
      statements.subList(from, Math.min(from + BATCH, statements.size())).forEach(b::addStatement);
      BatchStatement batch = b.build();
      chain = chain.thenCompose(v -> session.executeAsync(batch).thenApply(rs -> null));
    }
    return chain;
  }

  @Override
  public CompletionStage<Void> unblockAll(String user) {
    requireNonNull(user, "user");
    return session.executeAsync(deleteAll.bind(user)).thenApply(rs -> null);
  }
}

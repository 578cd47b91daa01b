package dev.tern.storage.chats;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.tern.storage.CassandraErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The shard leases in Cassandra: table {@code chat_leases ((home, shard)) → owner, epoch,
 * expires} (migration v11).
 *
 * <p>The table is only written by lightweight transactions, at {@code LOCAL_SERIAL}: a shard's
 * lease is taken by {@code INSERT … IF NOT EXISTS} and then only changed by
 * {@code UPDATE … IF owner = ? AND epoch = ? AND expires = ?}, so of two routers replacing the
 * same lease one wins. The lease of a home region's shard is taken and renewed by routers of
 * that region, hence {@code LOCAL_SERIAL}: the Paxos round needs no other datacenter, and its
 * price is paid once per lease change, never per message. When a round's outcome is unknown
 * (contention or a timeout, {@link CassandraErrors#outcomeUnknown}), the lease is read at
 * {@code LOCAL_SERIAL}, which completes any accepted proposal: ours was applied if the row is
 * now exactly what we proposed.
 *
 * <p>{@link #all} reads at the session's consistency (LOCAL_QUORUM), so it shows the other
 * regions' leases as replication last brought them: good enough to find whom to ask, never to
 * decide who owns a shard.
 */
public final class CassandraChatLeaseStore implements ChatLeaseStore {

  /** The Paxos consistency: the home region's own datacenter. */
  private static final ConsistencyLevel LOCAL_SERIAL = DefaultConsistencyLevel.LOCAL_SERIAL;

  /** How often a read at LOCAL_SERIAL that timed out is tried before the replace fails. */
  static final int SERIAL_READ_ATTEMPTS = 3;

  private static final String COLUMNS = "home, shard, owner, epoch, expires";

  private final CqlSession session;
  private final PreparedStatement selectAll;
  private final PreparedStatement select;
  private final PreparedStatement insert;
  private final PreparedStatement update;

  /** Prepares the statements, which needs the keyspace migrated to v11. */
  public CassandraChatLeaseStore(CqlSession session, String keyspace) {
    this.session = requireNonNull(session, "session");
    requireNonNull(keyspace, "keyspace");
    String table = keyspace + ".chat_leases";
    this.selectAll = session.prepare("SELECT " + COLUMNS + " FROM " + table);
    this.select = session.prepare(
        "SELECT " + COLUMNS + " FROM " + table + " WHERE home = ? AND shard = ?");
    this.insert = session.prepare("INSERT INTO " + table + " (" + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?) IF NOT EXISTS");
    this.update = session.prepare("UPDATE " + table
        + " SET owner = ?, epoch = ?, expires = ? WHERE home = ? AND shard = ?"
        + " IF owner = ? AND epoch = ? AND expires = ?");
  }

  @Override
  public CompletionStage<List<ChatLease>> all() {
    return session.executeAsync(selectAll.bind())
        .thenCompose(rs -> collect(rs, new ArrayList<>()))
        .thenApply(List::copyOf);
  }

  private static CompletionStage<List<ChatLease>> collect(AsyncResultSet rs,
      List<ChatLease> into) {
    for (Row row : rs.currentPage()) {
      into.add(toLease(row));
    }
    return rs.hasMorePages()
        ? rs.fetchNextPage().thenCompose(next -> collect(next, into))
        : CompletableFuture.completedFuture(into);
  }

  @Override
  public CompletionStage<Optional<ChatLease>> read(String home, int shard) {
    requireNonNull(home, "home");
    return session.executeAsync(select.bind(home, shard).setConsistencyLevel(LOCAL_SERIAL))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(CassandraChatLeaseStore::toLease));
  }

  @Override
  public CompletionStage<Boolean> replace(Optional<ChatLease> expected, ChatLease next) {
    requireNonNull(expected, "expected");
    requireNonNull(next, "next");
    if (expected.isPresent() && (!expected.get().home().equals(next.home())
        || expected.get().shard() != next.shard())) {
      throw new IllegalArgumentException("expected and next are leases of different shards: "
          + expected.get() + ", " + next);
    }
    BoundStatement statement = expected
        .map(old -> update.bind(next.owner(), next.epoch(), next.expires(), next.home(),
            next.shard(), old.owner(), old.epoch(), old.expires()))
        .orElseGet(() -> insert.bind(next.home(), next.shard(), next.owner(), next.epoch(),
            next.expires()));
    return session.executeAsync(statement.setSerialConsistencyLevel(LOCAL_SERIAL))
        .thenApply(AsyncResultSet::wasApplied)
        .exceptionallyCompose(error -> CassandraErrors.outcomeUnknown(error)
            ? settled(next, 1, error)
            : CompletableFuture.failedFuture(error));
  }

  /**
   * Whether a proposal of {@code next} whose outcome was unknown was applied: the lease read at
   * LOCAL_SERIAL is exactly {@code next}. The read completes any round in progress and may
   * itself time out under contention, so it is tried {@link #SERIAL_READ_ATTEMPTS} times.
   */
  private CompletionStage<Boolean> settled(ChatLease next, int attempt, Throwable unknown) {
    return read(next.home(), next.shard())
        .thenApply(current -> current.equals(Optional.of(next)))
        .exceptionallyCompose(error -> {
          if (!CassandraErrors.timedOut(error) || attempt >= SERIAL_READ_ATTEMPTS) {
            error.addSuppressed(unknown);
            return CompletableFuture.failedFuture(error);
          }
          return settled(next, attempt + 1, unknown);
        });
  }

  static ChatLease toLease(Row row) {
    return lease(row.getString("home"), row.getInt("shard"), row.getString("owner"),
        row.getLong("epoch"), row.getInstant("expires"));
  }

  /** A lease from its columns. */
  static ChatLease lease(@Nullable String home, int shard, @Nullable String owner, long epoch,
      @Nullable Instant expires) {
    return new ChatLease(
        requireNonNull(home, "chat_leases.home is null"),
        shard,
        requireNonNull(owner, "chat_leases.owner is null"),
        epoch,
        requireNonNull(expires, "chat_leases.expires is null"));
  }
}

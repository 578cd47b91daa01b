package dev.tern.storage.archive;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.tern.storage.RecentWrites;
import dev.tern.storage.messages.StoredMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The archives in Cassandra (migration v6). Rows only point into {@code chat_messages}; the
 * message itself is stored once, in its chat.
 *
 * <ul>
 *   <li>{@code archive ((username, peer, period), stored_at, chat_id, seq) → stanza_id}: a user's
 *       archive clustered in {@link ArchivePosition} order, twice: under {@code peer = ''} for
 *       the whole archive and under the chat partner's bare JID for XEP-0313's {@code with}
 *       filter, so that both are one ordered slice. {@code period} (UTC {@code yyyymm} of
 *       {@code stored_at}) keeps a partition to a month of one user's messages.
 *   <li>{@code archive_periods ((username, peer), period)}: the months that have rows, so a
 *       query visits only those, in order, and never scans empty months.
 *   <li>{@code archive_ids ((username, stanza_id)) → stored_at, chat_id, seq}: where a stanza-id
 *       sits in the user's archive, for XEP-0313's after-id / before-id / ids and XEP-0059's
 *       after / before. Per user, so another user's stanza-id is simply not found.
 * </ul>
 *
 * <h2>Writes</h2>
 * {@link #add} writes a message's rows (both users, both scopes, their ids: six for a message
 * between two users) as plain writes all at once, at the session's consistency (LOCAL_QUORUM),
 * and completes when all are durable; each is one partition, sent to one of its replicas. Every
 * value comes from the stored message, so writing it again writes the same rows. A period row
 * is written only when this store has not written it within {@link #REWRITE_AFTER} (at most
 * {@link #PERIODS_REMEMBERED} remembered): a user's month would otherwise be written again with
 * every message.
 *
 * <p>There is no logged batch: its batchlog would cost more than the rows, and what it would add
 * is that a writer crashing mid-way leaves all rows or none. Without it such a crash leaves some
 * rows, which is harmless: {@code add} had not completed, so the router had not acknowledged the
 * message; its resend with the same origin-id writes every row again, and a message without an
 * origin-id counts as not sent (its client sends it again as a new message, as it did when the
 * whole batch was applied). A period row is remembered only once its write succeeded, so a
 * failed one is written again with the user's next message of that month.
 *
 * <h2>Retention</h2>
 * With a retention, archive and id rows get it as their TTL (XEP-0313 §3.2 lets a server drop
 * old messages) and period rows get it plus {@link #PERIOD_TTL_MARGIN}: written again at least
 * every {@link #REWRITE_AFTER} while the month gets messages, a period row outlives every row it
 * leads to. A period row outliving its messages only costs an empty read.
 */
public final class CassandraArchiveStore implements ArchiveStore {

  /** How many (user, peer, period) rows a store remembers having written; ~200 bytes each. */
  static final int PERIODS_REMEMBERED = 65_536;

  /** How long a period row written by this store is not written again. */
  static final Duration REWRITE_AFTER = Duration.ofHours(1);

  /** How much longer than the archive rows a period row lives; more than {@link #REWRITE_AFTER}. */
  static final Duration PERIOD_TTL_MARGIN = Duration.ofDays(1);

  /** Cassandra's largest TTL, 20 years. */
  private static final long MAX_TTL_SECONDS = 630_720_000L;

  /** An {@code archive_periods} row. */
  private record Period(String user, String peer, int period) {}

  private final CqlSession session;
  private final int ttlSeconds;
  private final int periodTtlSeconds;
  private final RecentWrites<Period> recentPeriods;
  private final PreparedStatement insertArchive;
  private final PreparedStatement insertPeriod;
  private final PreparedStatement insertId;
  private final PreparedStatement selectId;
  private final PreparedStatement selectPeriodsUp;
  private final PreparedStatement selectPeriodsDown;
  private final PreparedStatement selectUp;
  private final PreparedStatement selectDown;

  /** An archive kept forever; needs the keyspace migrated to v6. */
  public CassandraArchiveStore(CqlSession session, String keyspace) {
    this(session, keyspace, Duration.ZERO);
  }

  /**
   * An archive whose rows expire {@code retention} after they are written ({@link Duration#ZERO}
   * for never); needs the keyspace migrated to v6.
   */
  public CassandraArchiveStore(CqlSession session, String keyspace, Duration retention) {
    this(session, keyspace, retention, Clock.systemUTC());
  }

  CassandraArchiveStore(CqlSession session, String keyspace, Duration retention, Clock clock) {
    this.session = requireNonNull(session, "session");
    requireNonNull(keyspace, "keyspace");
    this.ttlSeconds = ttlSeconds(retention);
    this.periodTtlSeconds = periodTtlSeconds(retention);
    this.recentPeriods = new RecentWrites<>(PERIODS_REMEMBERED, REWRITE_AFTER,
        requireNonNull(clock, "clock"));
    String archive = keyspace + ".archive";
    String periods = keyspace + ".archive_periods";
    String ids = keyspace + ".archive_ids";
    this.insertArchive = session.prepare("INSERT INTO " + archive
        + " (username, peer, period, stored_at, chat_id, seq, stanza_id)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?) USING TTL ?");
    this.insertPeriod = session.prepare("INSERT INTO " + periods
        + " (username, peer, period) VALUES (?, ?, ?) USING TTL ?");
    this.insertId = session.prepare("INSERT INTO " + ids
        + " (username, stanza_id, stored_at, chat_id, seq) VALUES (?, ?, ?, ?, ?) USING TTL ?");
    this.selectId = session.prepare("SELECT stored_at, chat_id, seq FROM " + ids
        + " WHERE username = ? AND stanza_id = ?");
    String periodRange = "SELECT period FROM " + periods
        + " WHERE username = ? AND peer = ? AND period >= ? AND period <= ?";
    this.selectPeriodsUp = session.prepare(periodRange);
    this.selectPeriodsDown = session.prepare(periodRange + " ORDER BY period DESC");
    String slice = "SELECT stored_at, chat_id, seq, stanza_id FROM " + archive
        + " WHERE username = ? AND peer = ? AND period = ?"
        + " AND (stored_at, chat_id, seq) > (?, ?, ?) AND (stored_at, chat_id, seq) < (?, ?, ?)";
    this.selectUp = session.prepare(slice + " LIMIT ?");
    this.selectDown = session.prepare(
        slice + " ORDER BY stored_at DESC, chat_id DESC, seq DESC LIMIT ?");
  }

  /** An archive or id row's TTL: the retention in seconds, 0 (none) to keep them for ever. */
  static int ttlSeconds(Duration retention) {
    requireNonNull(retention, "retention");
    if (retention.isNegative() || retention.getSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("retention: out of range: " + retention);
    }
    return (int) retention.getSeconds();
  }

  /** A period row's TTL: {@link #PERIOD_TTL_MARGIN} past the retention, none without one. */
  static int periodTtlSeconds(Duration retention) {
    int rows = ttlSeconds(retention);
    return rows == 0
        ? 0 : (int) Math.min(rows + PERIOD_TTL_MARGIN.getSeconds(), MAX_TTL_SECONDS);
  }

  /** The partition a position falls in: its UTC year and month as {@code yyyymm}. */
  static int period(Instant t) {
    ZonedDateTime utc = t.atZone(ZoneOffset.UTC);
    return utc.getYear() * 100 + utc.getMonthValue();
  }

  @Override
  public CompletionStage<Void> add(StoredMessage m) {
    requireNonNull(m, "m");
    List<CompletableFuture<?>> writes = new ArrayList<>(10);
    index(writes, m.sender(), m.recipient(), m);
    if (!m.sender().equals(m.recipient())) {
      index(writes, m.recipient(), m.sender(), m);
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
  }

  /** Sends the writes of {@code m} in {@code user}'s archive, adding them to {@code writes}. */
  private void index(List<CompletableFuture<?>> writes, String user, String peer,
      StoredMessage m) {
    int period = period(m.storedAt());
    for (String scope : List.of("", peer)) {
      writes.add(write(insertArchive.bind(user, scope, period, m.storedAt(), m.chat().value(),
          m.seq(), m.stanzaId(), ttlSeconds)));
      Period row = new Period(user, scope, period);
      if (!recentPeriods.fresh(row)) {
        long sentAt = recentPeriods.now();
        writes.add(write(insertPeriod.bind(user, scope, period, periodTtlSeconds))
            .thenRun(() -> recentPeriods.written(row, sentAt)));
      }
    }
    writes.add(write(insertId.bind(user, m.stanzaId(), m.storedAt(), m.chat().value(), m.seq(),
        ttlSeconds)));
  }

  private CompletableFuture<AsyncResultSet> write(BoundStatement statement) {
    return session.executeAsync(statement).toCompletableFuture();
  }

  @Override
  public CompletionStage<Optional<ArchiveEntry>> find(String user, String stanzaId) {
    requireNonNull(user, "user");
    requireNonNull(stanzaId, "stanzaId");
    return session.executeAsync(selectId.bind(user, stanzaId))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(row -> new ArchiveEntry(stanzaId,
            new ArchivePosition(requireNonNull(row.getInstant(0)),
                requireNonNull(row.getString(1)), row.getLong(2)))));
  }

  @Override
  public CompletionStage<List<ArchiveEntry>> page(ArchiveRange range, boolean newestFirst,
      int limit) {
    requireNonNull(range, "range");
    ArchiveStore.checkLimit(limit);
    if (range.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    String peer = range.with().orElse("");
    PreparedStatement periods = newestFirst ? selectPeriodsDown : selectPeriodsUp;
    return session.executeAsync(periods.bind(range.user(), peer,
            period(range.after().storedAt()), period(range.before().storedAt())))
        .thenCompose(rs -> collectPeriods(rs, new LinkedHashSet<>()))
        .thenCompose(found -> slices(range, peer, newestFirst, limit,
            new ArrayList<>(found), 0, new ArrayList<>()));
  }

  private static CompletionStage<Set<Integer>> collectPeriods(AsyncResultSet rs,
      Set<Integer> out) {
    for (Row row : rs.currentPage()) {
      out.add(row.getInt(0));
    }
    return rs.hasMorePages()
        ? rs.fetchNextPage().thenCompose(next -> collectPeriods(next, out))
        : CompletableFuture.completedFuture(out);
  }

  /** Reads period after period, in the page's direction, until {@code limit} entries are in. */
  private CompletionStage<List<ArchiveEntry>> slices(ArchiveRange range, String peer,
      boolean newestFirst, int limit, List<Integer> periods, int next, List<ArchiveEntry> out) {
    if (next >= periods.size() || out.size() >= limit) {
      return CompletableFuture.completedFuture(List.copyOf(out));
    }
    ArchivePosition a = range.after();
    ArchivePosition b = range.before();
    PreparedStatement slice = newestFirst ? selectDown : selectUp;
    return session.executeAsync(slice.bind(range.user(), peer, periods.get(next),
            a.storedAt(), a.chat(), a.seq(), b.storedAt(), b.chat(), b.seq(),
            limit - out.size()))
        .thenCompose(rs -> {
          // LIMIT is at most one fetch page's worth for any sane limit; follow pages anyway.
          return rows(rs, out, limit);
        })
        .thenCompose(v -> slices(range, peer, newestFirst, limit, periods, next + 1, out));
  }

  private static CompletionStage<Void> rows(AsyncResultSet rs, List<ArchiveEntry> out,
      int limit) {
    for (Row row : rs.currentPage()) {
      if (out.size() >= limit) {
        return CompletableFuture.completedFuture(null);
      }
      out.add(new ArchiveEntry(requireNonNull(row.getString(3)),
          new ArchivePosition(requireNonNull(row.getInstant(0)), requireNonNull(row.getString(1)),
              row.getLong(2))));
    }
    return rs.hasMorePages() && out.size() < limit
        ? rs.fetchNextPage().thenCompose(next -> rows(next, out, limit))
        : CompletableFuture.completedFuture(null);
  }
}

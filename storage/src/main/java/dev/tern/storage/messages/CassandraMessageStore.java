package dev.tern.storage.messages;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.tern.storage.RecentWrites;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The chats' history in Cassandra (migration v11, beside v5's {@code chat_messages}).
 *
 * <h2>Tables</h2>
 * <ul>
 *   <li>{@code chat_messages ((chat_id, bucket), seq)}: the messages, partitioned by
 *       {@link ChatSeq#bucket} (a seq's epoch and the high bits of its time: a partition holds
 *       about six days of one chat under one lease), so that a long chat does not grow one
 *       partition without bound.
 *   <li>{@code chat_buckets (chat_id, bucket)}: which {@code chat_messages} partitions a chat
 *       has, in order; {@link #history} visits those and no others (a chat's numbers are far
 *       apart, so its partitions are too).
 *   <li>{@code message_origins ((sender, origin_id))}: what a sender's origin-id (XEP-0359 §4)
 *       was stored as: chat, seq, stanza-id, recipient, time and whether every write of its
 *       first attempt is known to be done; not the stanza, which is in {@code chat_messages}.
 *       Kept for 30 days (the table's default TTL), which is how long a resend is recognised.
 * </ul>
 * Every write is a plain {@code INSERT} at the session's consistency (LOCAL_QUORUM) and writes
 * values that come entirely from its argument, so writing it again after a failure (whose
 * outcome may be unknown) writes the same row. Nothing here is a lightweight transaction or
 * reads at serial consistency. The tables {@code chat_heads} and {@code origin_claims} of v5, by
 * which this store used to number messages with Paxos, are no longer written.
 *
 * <h2>Write path, and what a crash leaves</h2>
 * Numbers come from the chat's sequencer, the router holding its shard's lease
 * ({@code dev.tern.storage.chats}). For a message with an origin-id the router (1) writes its
 * {@link #recordOrigin origin record}, not complete, (2) {@link #store stores} the message and
 * writes its unread entry, archive and receipt indexes, (3) writes the record again marked
 * complete, and only then acknowledges the message. A crash anywhere in between is the router's
 * to settle: the resend finds the incomplete record and does (2) and (3) again under the
 * recorded seq and stanza-id, each write idempotent, so the message is stored once.
 *
 * <p>{@link #store} writes the message and, at the same time, its bucket's row in
 * {@code chat_buckets}, and completes when both are durable: an acknowledged message is one
 * that {@link #history} reaches. This store writes a bucket's row once per
 * {@link #REWRITE_AFTER} (at most {@link #BUCKETS_REMEMBERED} rows remembered), not once per
 * message.
 *
 * <h2>Retention</h2>
 * With a retention, message rows get it as their TTL and bucket rows get it plus
 * {@link #BUCKET_TTL_MARGIN}: since the row is written again at least every
 * {@link #REWRITE_AFTER} while its partition is written, it outlives every message it leads to.
 * A bucket row outliving its messages only costs an empty read. Origin records keep their own
 * 30 days.
 */
public final class CassandraMessageStore implements MessageStore {

  /** How many (chat, bucket) rows a store remembers having written; about 200 bytes each. */
  static final int BUCKETS_REMEMBERED = 65_536;

  /** How long a bucket row written by this store is not written again. */
  static final Duration REWRITE_AFTER = Duration.ofHours(1);

  /** How much longer than the messages a bucket row lives; more than {@link #REWRITE_AFTER}. */
  static final Duration BUCKET_TTL_MARGIN = Duration.ofDays(1);

  /** Cassandra's largest TTL, 20 years (a longer retention fails at the message's write). */
  static final long MAX_TTL_SECONDS = 630_720_000L;

  /** A {@code chat_buckets} row. */
  private record Bucket(ChatId chat, long bucket) {}

  /** The columns {@link #toMessage} reads, in {@code chat_messages}. */
  static final String MESSAGE_COLUMNS =
      "chat_id, seq, stanza_id, sender, recipient, origin_id, stanza_xml, stored_at";

  private final CqlSession session;
  private final int messageTtlSeconds;
  private final int bucketTtlSeconds;
  private final RecentWrites<Bucket> recentBuckets;
  private final PreparedStatement insertMessage;
  private final PreparedStatement insertBucket;
  private final PreparedStatement insertOrigin;
  private final PreparedStatement selectOrigin;
  private final PreparedStatement selectMessage;
  private final PreparedStatement selectBuckets;
  private final PreparedStatement selectPage;

  /** A store keeping messages for ever; needs the keyspace migrated to v11. */
  public CassandraMessageStore(CqlSession session, String keyspace) {
    this(session, keyspace, Clock.systemUTC(), Duration.ZERO);
  }

  /**
   * A store whose messages expire {@code retention} after they are stored ({@link Duration#ZERO}:
   * kept for ever); needs the keyspace migrated to v11. Origin records keep their own 30 days.
   */
  public CassandraMessageStore(CqlSession session, String keyspace, Duration retention) {
    this(session, keyspace, Clock.systemUTC(), retention);
  }

  CassandraMessageStore(CqlSession session, String keyspace, Clock clock, Duration retention) {
    this.session = requireNonNull(session, "session");
    requireNonNull(keyspace, "keyspace");
    requireNonNull(clock, "clock");
    this.messageTtlSeconds = ttlSeconds(retention);
    this.bucketTtlSeconds = bucketTtlSeconds(retention);
    this.recentBuckets = new RecentWrites<>(BUCKETS_REMEMBERED, REWRITE_AFTER, clock);
    String messages = keyspace + ".chat_messages";
    String buckets = keyspace + ".chat_buckets";
    String origins = keyspace + ".message_origins";
    this.insertMessage = session.prepare("INSERT INTO " + messages
        + " (bucket, " + MESSAGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?");
    this.insertBucket = session.prepare(
        "INSERT INTO " + buckets + " (chat_id, bucket) VALUES (?, ?) USING TTL ?");
    this.insertOrigin = session.prepare("INSERT INTO " + origins
        + " (sender, origin_id, chat_id, seq, stanza_id, recipient, stored_at, complete)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    this.selectOrigin = session.prepare("SELECT chat_id, seq, stanza_id, recipient, stored_at,"
        + " complete FROM " + origins + " WHERE sender = ? AND origin_id = ?");
    this.selectMessage = session.prepare("SELECT " + MESSAGE_COLUMNS + " FROM " + messages
        + " WHERE chat_id = ? AND bucket = ? AND seq = ?");
    this.selectBuckets = session.prepare(
        "SELECT bucket FROM " + buckets + " WHERE chat_id = ? AND bucket >= ?");
    this.selectPage = session.prepare("SELECT " + MESSAGE_COLUMNS + " FROM " + messages
        + " WHERE chat_id = ? AND bucket = ? AND seq > ? LIMIT ?");
  }

  /** A message row's TTL: the retention in seconds, 0 (none) to keep messages for ever. */
  static int ttlSeconds(Duration retention) {
    requireNonNull(retention, "retention");
    if (retention.isNegative() || retention.getSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("retention: out of range: " + retention);
    }
    return (int) retention.getSeconds();
  }

  /** A bucket row's TTL: {@link #BUCKET_TTL_MARGIN} past the retention, none without one. */
  static int bucketTtlSeconds(Duration retention) {
    int messages = ttlSeconds(retention);
    return messages == 0
        ? 0 : (int) Math.min(messages + BUCKET_TTL_MARGIN.getSeconds(), MAX_TTL_SECONDS);
  }

  @Override
  public CompletionStage<Void> store(StoredMessage m) {
    requireNonNull(m, "m");
    long bucket = ChatSeq.bucket(m.seq());
    CompletableFuture<AsyncResultSet> message = session.executeAsync(insertMessage.bind(bucket,
            m.chat().value(), m.seq(), m.stanzaId(), m.sender(), m.recipient(),
            m.originId().orElse(null), m.stanzaXml(), m.storedAt(), messageTtlSeconds))
        .toCompletableFuture();
    Bucket row = new Bucket(m.chat(), bucket);
    if (recentBuckets.fresh(row)) {
      return message.thenApply(rs -> null);
    }
    long sentAt = recentBuckets.now();
    CompletableFuture<Void> rowWritten = session.executeAsync(
            insertBucket.bind(m.chat().value(), bucket, bucketTtlSeconds))
        .toCompletableFuture()
        .thenRun(() -> recentBuckets.written(row, sentAt));
    return CompletableFuture.allOf(message, rowWritten);
  }

  @Override
  public CompletionStage<Void> recordOrigin(OriginRecord r) {
    requireNonNull(r, "record");
    return session.executeAsync(insertOrigin.bind(r.sender(), r.originId(), r.chat().value(),
            r.seq(), r.stanzaId(), r.recipient(), r.storedAt(), r.complete()))
        .thenApply(rs -> null);
  }

  @Override
  public CompletionStage<Optional<OriginRecord>> findByOrigin(String sender, String originId) {
    requireNonNull(sender, "sender");
    requireNonNull(originId, "originId");
    return session.executeAsync(selectOrigin.bind(sender, originId))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(row -> origin(sender, originId,
            row.getString("chat_id"), row.getLong("seq"), row.getString("stanza_id"),
            row.getString("recipient"), row.getInstant("stored_at"),
            row.isNull("complete") ? null : row.getBoolean("complete"))));
  }

  @Override
  public CompletionStage<List<StoredMessage>> history(ChatId chat, long afterSeq, int limit) {
    requireNonNull(chat, "chat");
    MessageStore.checkPage(afterSeq, limit);
    if (afterSeq == Long.MAX_VALUE) {
      return CompletableFuture.completedFuture(List.of());
    }
    return session.executeAsync(selectBuckets.bind(chat.value(), ChatSeq.bucket(afterSeq + 1)))
        .thenCompose(rs -> collectBuckets(rs, new ArrayList<>()))
        .thenCompose(buckets -> page(chat, buckets, 0, afterSeq, limit, new ArrayList<>()));
  }

  private static CompletionStage<List<Long>> collectBuckets(AsyncResultSet rs, List<Long> into) {
    for (Row row : rs.currentPage()) {
      into.add(row.getLong("bucket"));
    }
    return rs.hasMorePages()
        ? rs.fetchNextPage().thenCompose(next -> collectBuckets(next, into))
        : CompletableFuture.completedFuture(into);
  }

  /** Reads the chat's buckets one after another, in order, until the page is full. */
  private CompletionStage<List<StoredMessage>> page(ChatId chat, List<Long> buckets, int next,
      long afterSeq, int limit, List<StoredMessage> into) {
    if (next >= buckets.size() || into.size() >= limit) {
      return CompletableFuture.completedFuture(List.copyOf(into));
    }
    int wanted = limit - into.size();
    return session.executeAsync(selectPage.bind(chat.value(), buckets.get(next), afterSeq,
            wanted))
        .thenCompose(rs -> collect(rs, into, wanted))
        .thenCompose(page -> page(chat, buckets, next + 1, afterSeq, limit, page));
  }

  private static CompletionStage<List<StoredMessage>> collect(
      AsyncResultSet rs, List<StoredMessage> into, int wanted) {
    for (Row row : rs.currentPage()) {
      if (wanted-- <= 0) {
        return CompletableFuture.completedFuture(into);
      }
      into.add(toMessage(row));
    }
    if (wanted > 0 && rs.hasMorePages()) {
      int left = wanted;
      return rs.fetchNextPage().thenCompose(next -> collect(next, into, left));
    }
    return CompletableFuture.completedFuture(into);
  }

  @Override
  public CompletionStage<Optional<StoredMessage>> find(ChatId chat, long seq) {
    requireNonNull(chat, "chat");
    if (seq < 1) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return session.executeAsync(selectMessage.bind(chat.value(), ChatSeq.bucket(seq), seq))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(CassandraMessageStore::toMessage));
  }

  static StoredMessage toMessage(Row row) {
    return message(row.getString("chat_id"), row.getLong("seq"), row.getString("stanza_id"),
        row.getString("sender"), row.getString("recipient"), row.getString("origin_id"),
        row.getString("stanza_xml"), row.getInstant("stored_at"));
  }

  /** A message from its columns; a null {@code origin_id} is a message without one. */
  static StoredMessage message(@Nullable String chatId, long seq, @Nullable String stanzaId,
      @Nullable String sender, @Nullable String recipient, @Nullable String originId,
      @Nullable String stanzaXml, @Nullable Instant storedAt) {
    return new StoredMessage(
        new ChatId(requireNonNull(chatId, "chat_id is null")),
        seq,
        requireNonNull(stanzaId, "stanza_id is null"),
        requireNonNull(sender, "sender is null"),
        requireNonNull(recipient, "recipient is null"),
        Optional.ofNullable(originId),
        requireNonNull(stanzaXml, "stanza_xml is null"),
        requireNonNull(storedAt, "stored_at is null"));
  }

  /** An origin record from its columns; a null {@code complete} is not known complete. */
  static OriginRecord origin(String sender, String originId, @Nullable String chatId, long seq,
      @Nullable String stanzaId, @Nullable String recipient, @Nullable Instant storedAt,
      @Nullable Boolean complete) {
    return new OriginRecord(sender, originId,
        new ChatId(requireNonNull(chatId, "message_origins.chat_id is null")),
        seq,
        requireNonNull(stanzaId, "message_origins.stanza_id is null"),
        requireNonNull(recipient, "message_origins.recipient is null"),
        requireNonNull(storedAt, "message_origins.stored_at is null"),
        Boolean.TRUE.equals(complete));
  }
}

package dev.tern.storage.messages;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.tern.storage.CassandraErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The chats' history in Cassandra (migration v5).
 *
 * <h2>Tables</h2>
 * <ul>
 *   <li>{@code chat_heads (chat_id, last_seq, last_stored_at, last_stanza_id)}: the last number
 *       handed out per chat. Only written by lightweight transactions.
 *   <li>{@code chat_messages ((chat_id, bucket), seq)}: the messages, {@link #BUCKET_SIZE} numbers
 *       per partition ({@code bucket = seq / BUCKET_SIZE}) so that a long chat does not grow one
 *       partition without bound. Only plain writes.
 *   <li>{@code origin_claims ((sender, origin_id))}: who has stored which origin-id, holding the
 *       whole message it was stored as; kept for 30 days (the table's default TTL), which is how
 *       long a resend is recognised. Only written by lightweight transactions.
 * </ul>
 *
 * <h2>Numbering</h2>
 * A number is taken by compare-and-set on the chat's head: read the head (at the session's
 * consistency, only a guess), then {@code UPDATE … SET last_seq = n + 1 … IF last_seq = n AND
 * last_stored_at = t} ({@code INSERT … IF NOT EXISTS} for the chat's first message). A refused
 * proposal returns the current head, from which the next one is made after a short random
 * backoff, at most {@link #MAX_ATTEMPTS} times. The Paxos round runs at {@code SERIAL}: the
 * keyspace spans every region's datacenter and two regions may take numbers for one chat at the
 * same moment; {@code LOCAL_SERIAL} would let both hand out the same number. When the outcome of
 * a proposal is unknown ({@link CASWriteUnknownException}, or a write timeout of type CAS) the
 * head is read at {@code SERIAL}, which completes any accepted proposal: it is ours if it carries
 * our stanza-id, and otherwise we propose again. A proposal of ours that was applied but then
 * overtaken before we could see it leaves its number unused, never used twice. The head also
 * carries the last {@code stored_at}, and a new message's {@code storedAt} is never earlier than
 * it, so that ordering a chat's messages by time (as the unread queue does) agrees with seq.
 *
 * <h2>Write order, and what a crash leaves</h2>
 * Without an origin-id: (1) take a number, (2) write the message, (3) complete. With one:
 * (0) read the claim of (sender, origin-id); if there is one the message is a resend, go to (R).
 * Otherwise (1) take a number and a fresh stanza-id, (2) claim (sender, origin-id) with
 * {@code INSERT … IF NOT EXISTS}, recording chat, seq, stanza-id and the message; if another
 * append holds the claim, go to (R) with its claim; (3) write the message; (4) complete.
 * (R): read the message at the claim's chat and seq; if it is missing (its writer crashed or has
 * not got there yet), write it from the claim, which is idempotent since every writer writes the
 * same row; complete with the claim's message.
 * <ul>
 *   <li>Nothing is acknowledged before (3) is durable at the session's consistency, so a crash
 *       never loses an acknowledged message.
 *   <li>A crash after (1): the number stays unused (a gap). The resend finds no claim and stores
 *       the message once, under a new number.
 *   <li>A crash after (2): the claim holds the message; the resend reaches (R) and writes it at
 *       the claimed number, so the message is stored once, with the stanza-id it was claimed with.
 *   <li>Two copies racing: both may take a number, only one claims; the other completes with the
 *       claimed message and leaves its number unused.
 * </ul>
 * A message without an origin-id cannot be recognised when resent, so a client that resends it
 * after a lost acknowledgement gets a second copy; XEP-0359 origin-ids are what prevent that.
 * The pre-read (0) runs at the session's consistency: it only saves the round of a claim for the
 * common resend; the claim itself is what decides.
 */
public final class CassandraMessageStore implements MessageStore {

  /** Numbers per {@code chat_messages} partition. */
  static final long BUCKET_SIZE = 10_000;

  /** How often taking a number or a claim is tried under contention before the append fails. */
  static final int MAX_ATTEMPTS = 32;

  /** The Paxos consistency: all datacenters, so no two regions hand out one number. */
  private static final ConsistencyLevel SERIAL = DefaultConsistencyLevel.SERIAL;

  private static final String MESSAGE_COLUMNS =
      "chat_id, seq, stanza_id, sender, recipient, origin_id, stanza_xml, stored_at";

  /** A chat's head; {@code lastSeq} 0 for a chat without messages. */
  record Head(long lastSeq, @Nullable Instant lastStoredAt, @Nullable String lastStanzaId) {
    static final Head NONE = new Head(0, null, null);
  }

  /** A number taken for a message, with its stanza-id and time. */
  record Allocation(long seq, String stanzaId, Instant storedAt) {}

  private final CqlSession session;
  private final Clock clock;
  private final PreparedStatement selectHead;
  private final PreparedStatement insertHead;
  private final PreparedStatement updateHead;
  private final PreparedStatement selectClaim;
  private final PreparedStatement insertClaim;
  private final PreparedStatement insertMessage;
  private final int ttlSeconds;
  private final PreparedStatement selectMessage;
  private final PreparedStatement selectPage;

  /** Prepares the statements, which needs the keyspace migrated to v5. */
  public CassandraMessageStore(CqlSession session, String keyspace) {
    this(session, keyspace, Clock.systemUTC(), Duration.ZERO);
  }

  /**
   * A store whose messages expire {@code retention} after they are stored ({@link Duration#ZERO}:
   * kept for ever). The chat's numbering is kept regardless, so a chat never reuses a number;
   * origin-id claims keep their own 30 days.
   */
  public CassandraMessageStore(CqlSession session, String keyspace, Duration retention) {
    this(session, keyspace, Clock.systemUTC(), retention);
  }

  CassandraMessageStore(CqlSession session, String keyspace, Clock clock) {
    this(session, keyspace, clock, Duration.ZERO);
  }

  CassandraMessageStore(CqlSession session, String keyspace, Clock clock, Duration retention) {
    this.session = requireNonNull(session, "session");
    requireNonNull(keyspace, "keyspace");
    this.clock = requireNonNull(clock, "clock");
    requireNonNull(retention, "retention");
    if (retention.isNegative() || retention.getSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("retention: out of range: " + retention);
    }
    this.ttlSeconds = (int) retention.getSeconds();
    String heads = keyspace + ".chat_heads";
    String messages = keyspace + ".chat_messages";
    String claims = keyspace + ".origin_claims";
    this.selectHead = session.prepare("SELECT last_seq, last_stored_at, last_stanza_id FROM "
        + heads + " WHERE chat_id = ?");
    this.insertHead = session.prepare("INSERT INTO " + heads
        + " (chat_id, last_seq, last_stored_at, last_stanza_id) VALUES (?, ?, ?, ?) IF NOT EXISTS");
    this.updateHead = session.prepare("UPDATE " + heads
        + " SET last_seq = ?, last_stored_at = ?, last_stanza_id = ? WHERE chat_id = ?"
        + " IF last_seq = ? AND last_stored_at = ?");
    this.selectClaim = session.prepare("SELECT chat_id, seq, stanza_id, recipient, stanza_xml,"
        + " stored_at FROM " + claims + " WHERE sender = ? AND origin_id = ?");
    this.insertClaim = session.prepare("INSERT INTO " + claims
        + " (sender, origin_id, chat_id, seq, stanza_id, recipient, stanza_xml, stored_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS");
    this.insertMessage = session.prepare("INSERT INTO " + messages
        + " (bucket, " + MESSAGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?");
    this.selectMessage = session.prepare("SELECT " + MESSAGE_COLUMNS + " FROM " + messages
        + " WHERE chat_id = ? AND bucket = ? AND seq = ?");
    this.selectPage = session.prepare("SELECT " + MESSAGE_COLUMNS + " FROM " + messages
        + " WHERE chat_id = ? AND bucket = ? AND seq > ? LIMIT ?");
  }

  @Override
  public CompletionStage<StoredMessage> append(ChatId chat, String sender, String recipient,
      Optional<String> originId, String stanzaXml) {
    requireNonNull(chat, "chat");
    requireNonNull(sender, "sender");
    requireNonNull(recipient, "recipient");
    requireNonNull(originId, "originId");
    requireNonNull(stanzaXml, "stanzaXml");
    if (originId.isEmpty()) {
      return allocate(chat).thenCompose(a -> write(
          new StoredMessage(chat, a.seq(), a.stanzaId(), sender, recipient, originId, stanzaXml,
              a.storedAt())));
    }
    String origin = originId.get();
    return session.executeAsync(selectClaim.bind(sender, origin))
        .thenCompose(rs -> {
          Row claimed = rs.one();
          if (claimed != null) {
            return resolve(fromClaim(sender, origin, claimed));
          }
          return allocate(chat).thenCompose(a -> claim(
              new StoredMessage(chat, a.seq(), a.stanzaId(), sender, recipient, originId,
                  stanzaXml, a.storedAt()), 1));
        });
  }

  /** Step (2): claims the origin-id for {@code m}, then writes {@code m} or the claimant's. */
  private CompletionStage<StoredMessage> claim(StoredMessage m, int attempt) {
    String origin = m.originId().orElseThrow();
    BoundStatement insert = insertClaim.bind(m.sender(), origin, m.chat().value(), m.seq(),
        m.stanzaId(), m.recipient(), m.stanzaXml(), m.storedAt())
        .setSerialConsistencyLevel(SERIAL);
    return session.executeAsync(insert)
        .thenApply(rs -> rs.wasApplied()
            ? m : fromClaim(m.sender(), origin, requireNonNull(rs.one(), "LWT without a row")))
        .exceptionallyCompose(error -> {
          if (!CassandraErrors.outcomeUnknown(error)) {
            return CompletableFuture.failedFuture(error);
          }
          return session.executeAsync(selectClaim.bind(m.sender(), origin)
                  .setConsistencyLevel(SERIAL))
              .thenCompose(rs -> {
                Row found = rs.one();
                if (found != null) {
                  return CompletableFuture.completedFuture(fromClaim(m.sender(), origin, found));
                }
                return attempt < MAX_ATTEMPTS
                    ? claim(m, attempt + 1) : CompletableFuture.failedFuture(error);
              });
        })
        .thenCompose(winner -> winner == m ? write(m) : resolve(winner));
  }

  /** Step (R): the claimed message, written at its claimed number if it is not there yet. */
  private CompletionStage<StoredMessage> resolve(StoredMessage claimed) {
    return find(claimed.chat(), claimed.seq())
        .thenCompose(found -> found.isPresent()
            ? CompletableFuture.completedFuture(found.get()) : write(claimed));
  }

  private CompletionStage<StoredMessage> write(StoredMessage m) {
    return session.executeAsync(insertMessage.bind(bucket(m.seq()), m.chat().value(), m.seq(),
            m.stanzaId(), m.sender(), m.recipient(), m.originId().orElse(null), m.stanzaXml(),
            m.storedAt(), ttlSeconds))
        .thenApply(rs -> m);
  }

  /** Step (1): takes the chat's next number. */
  private CompletionStage<Allocation> allocate(ChatId chat) {
    return session.executeAsync(selectHead.bind(chat.value()))
        .thenCompose(rs -> propose(chat, toHead(rs.one()), 1));
  }

  private CompletionStage<Allocation> propose(ChatId chat, Head head, int attempt) {
    Allocation next = next(head, clock.instant(), UUID.randomUUID().toString());
    Instant lastStoredAt = head.lastStoredAt();
    BoundStatement statement = head.lastSeq() == 0 || lastStoredAt == null
        ? insertHead.bind(chat.value(), next.seq(), next.storedAt(), next.stanzaId())
        : updateHead.bind(next.seq(), next.storedAt(), next.stanzaId(), chat.value(),
            head.lastSeq(), lastStoredAt);
    return session.executeAsync(statement.setSerialConsistencyLevel(SERIAL))
        .thenApply(rs -> rs.wasApplied() ? Optional.<Head>empty() : Optional.of(toHead(rs.one())))
        .exceptionallyCompose(error -> {
          if (!CassandraErrors.outcomeUnknown(error)) {
            return CompletableFuture.failedFuture(error);
          }
          return serialHead(chat, 1).thenApply(current ->
              isOurs(current, next) ? Optional.<Head>empty() : Optional.of(current));
        })
        .thenCompose(refusedBy -> {
          if (refusedBy.isEmpty()) {
            return CompletableFuture.completedFuture(next);
          }
          if (attempt >= MAX_ATTEMPTS) {
            return CompletableFuture.failedFuture(new IllegalStateException("chat " + chat.value()
                + ": no sequence number after " + attempt + " contended attempts"));
          }
          return backoff(attempt).thenCompose(v -> propose(chat, refusedBy.get(), attempt + 1));
        });
  }

  /**
   * The head read at SERIAL, which first completes any Paxos round in progress; under heavy
   * contention that read can itself end unknown or time out, so it is retried with backoff.
   */
  private CompletionStage<Head> serialHead(ChatId chat, int attempt) {
    return session.executeAsync(selectHead.bind(chat.value()).setConsistencyLevel(SERIAL))
        .thenApply(rs -> toHead(rs.one()))
        .exceptionallyCompose(error -> {
          if (!CassandraErrors.timedOut(error) || attempt >= MAX_ATTEMPTS) {
            return CompletableFuture.failedFuture(error);
          }
          return backoff(attempt).thenCompose(v -> serialHead(chat, attempt + 1));
        });
  }

  private static CompletableFuture<Void> backoff(int attempt) {
    long maxMillis = Math.min(100, 2L << Math.min(attempt, 6));
    long millis = ThreadLocalRandom.current().nextLong(1, maxMillis + 1);
    return CompletableFuture.runAsync(() -> { },
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
  }

  @Override
  public CompletionStage<List<StoredMessage>> history(ChatId chat, long afterSeq, int limit) {
    requireNonNull(chat, "chat");
    MessageStore.checkPage(afterSeq, limit);
    return session.executeAsync(selectHead.bind(chat.value()))
        .thenCompose(rs -> {
          long lastSeq = toHead(rs.one()).lastSeq();
          List<StoredMessage> page = new ArrayList<>();
          if (lastSeq <= afterSeq) {
            return CompletableFuture.completedFuture(page);
          }
          return page(chat, bucket(afterSeq + 1), bucket(lastSeq), afterSeq, limit, page);
        });
  }

  /** Reads bucket after bucket, up to the head's, until the page is full. */
  private CompletionStage<List<StoredMessage>> page(ChatId chat, long bucket, long lastBucket,
      long afterSeq, int limit, List<StoredMessage> into) {
    int wanted = limit - into.size();
    return session.executeAsync(selectPage.bind(chat.value(), bucket, afterSeq, wanted))
        .thenCompose(rs -> collect(rs, into, wanted))
        .thenCompose(page -> page.size() >= limit || bucket >= lastBucket
            ? CompletableFuture.completedFuture(page)
            : page(chat, bucket + 1, lastBucket, afterSeq, limit, page));
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
    return session.executeAsync(selectMessage.bind(chat.value(), bucket(seq), seq))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(CassandraMessageStore::toMessage));
  }

  /** The {@code chat_messages} partition of a number. */
  static long bucket(long seq) {
    return seq / BUCKET_SIZE;
  }

  /**
   * The proposal following {@code head}: the next number, and a time no earlier than the last
   * message's, so time order within a chat never contradicts seq order.
   */
  static Allocation next(Head head, Instant now, String stanzaId) {
    Instant at = now.truncatedTo(ChronoUnit.MILLIS);
    Instant last = head.lastStoredAt();
    if (last != null && last.isAfter(at)) {
      at = last;
    }
    return new Allocation(head.lastSeq() + 1, stanzaId, at);
  }

  /** Whether the head read after an unknown outcome shows our proposal applied. */
  static boolean isOurs(Head current, Allocation proposal) {
    return current.lastSeq() == proposal.seq()
        && proposal.stanzaId().equals(current.lastStanzaId());
  }


  /**
   * A head row, or the row a refused compare-and-set returns (which holds only the columns of
   * its condition, or nothing when the chat has no head).
   */
  static Head toHead(@Nullable Row row) {
    if (row == null || row.isNull("last_seq")) {
      return Head.NONE;
    }
    boolean hasStanzaId = row.getColumnDefinitions().contains("last_stanza_id");
    return new Head(row.getLong("last_seq"), row.getInstant("last_stored_at"),
        hasStanzaId ? row.getString("last_stanza_id") : null);
  }

  private static StoredMessage fromClaim(String sender, String originId, Row row) {
    return message(row.getString("chat_id"), row.getLong("seq"), row.getString("stanza_id"),
        sender, row.getString("recipient"), originId, row.getString("stanza_xml"),
        row.getInstant("stored_at"));
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

  @Override
  public CompletionStage<Optional<StoredMessage>> findByOrigin(String sender, String originId) {
    requireNonNull(sender, "sender");
    requireNonNull(originId, "originId");
    return session.executeAsync(selectClaim.bind(sender, originId))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(row -> fromClaim(sender, originId, row)));
  }
}

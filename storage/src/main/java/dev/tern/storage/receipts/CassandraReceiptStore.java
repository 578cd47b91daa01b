package dev.tern.storage.receipts;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.ChatSeq;
import dev.tern.storage.messages.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Receipt status in Cassandra (migration v7), plain writes at the session's consistency
 * (LOCAL_QUORUM) like the message store.
 *
 * <ul>
 *   <li>{@code message_refs ((chat_id, sender, ref)) → seq}: one small partition per id a message
 *       can be named by (stanza-id, origin-id, client id), so a receipt is resolved by one read.
 *   <li>{@code receipt_status ((chat_id, bucket), seq) → delivered_at, displayed_at,
 *       acknowledged_at}: keyed exactly like {@code chat_messages} (the same
 *       {@link ChatSeq#bucket}), so a message and its status are read by the same key.
 * </ul>
 *
 * <p>{@link #index} writes a message's names (one to three: stanza-id, origin-id, client id,
 * without repeats) as plain writes all at once, each to its own partition and so to one of its
 * replicas, rather than as an unlogged batch, which would make one coordinator forward each of
 * them to other nodes. Nothing depends on them being written together: each name resolves on its
 * own, and a crash between them leaves a message that was not acknowledged (the router answers
 * only once every write is done) and that a resend with the same origin-id indexes again.
 *
 * <p>{@link #advance} reads the row and writes only the stamps that were missing, leaving the
 * others unset (never null, which would delete them). Stamps are only ever added, so a status
 * never moves back; two receipts for one message racing may both write a missing stamp, and the
 * later write's time wins — they are milliseconds apart. No lightweight transaction is worth that.
 */
public final class CassandraReceiptStore implements ReceiptStore {

  private final CqlSession session;
  private final PreparedStatement insertRef;
  private final PreparedStatement selectRef;
  private final PreparedStatement selectStatus;
  private final PreparedStatement updateStatus;

  /** Prepares the statements, which needs the keyspace migrated to v7. */
  public CassandraReceiptStore(CqlSession session, String keyspace) {
    this.session = requireNonNull(session, "session");
    requireNonNull(keyspace, "keyspace");
    String refs = keyspace + ".message_refs";
    String status = keyspace + ".receipt_status";
    this.insertRef = session.prepare("INSERT INTO " + refs
        + " (chat_id, sender, ref, seq) VALUES (?, ?, ?, ?)");
    this.selectRef = session.prepare("SELECT seq FROM " + refs
        + " WHERE chat_id = ? AND sender = ? AND ref = ?");
    this.selectStatus = session.prepare("SELECT delivered_at, displayed_at, acknowledged_at FROM "
        + status + " WHERE chat_id = ? AND bucket = ? AND seq = ?");
    this.updateStatus = session.prepare("UPDATE " + status + " SET delivered_at = :delivered_at,"
        + " displayed_at = :displayed_at, acknowledged_at = :acknowledged_at"
        + " WHERE chat_id = :chat_id AND bucket = :bucket AND seq = :seq");
  }

  @Override
  public CompletionStage<Void> index(StoredMessage m, Optional<String> clientId) {
    requireNonNull(m, "m");
    requireNonNull(clientId, "clientId");
    Set<String> names = new LinkedHashSet<>();
    names.add(m.stanzaId());
    m.originId().ifPresent(names::add);
    clientId.ifPresent(names::add);
    // One partition each, written at once; each row is idempotent.
    List<CompletableFuture<AsyncResultSet>> writes = new ArrayList<>(names.size());
    for (String ref : names) {
      writes.add(session.executeAsync(insertRef.bind(m.chat().value(), m.sender(), ref, m.seq()))
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
  }

  @Override
  public CompletionStage<Optional<Long>> find(ChatId chat, String sender, String ref) {
    requireNonNull(chat, "chat");
    requireNonNull(sender, "sender");
    requireNonNull(ref, "ref");
    return session.executeAsync(selectRef.bind(chat.value(), sender, ref))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(row -> row.getLong("seq")));
  }

  @Override
  public CompletionStage<ReceiptStatus> advance(ChatId chat, long seq, ReceiptState state,
      Instant at) {
    requireNonNull(chat, "chat");
    requireNonNull(state, "state");
    requireNonNull(at, "at");
    ReceiptStore.checkRecordable(state);
    return status(chat, seq).thenCompose(before -> {
      ReceiptStatus after = before.advancedTo(state, at);
      if (after.equals(before)) {
        return CompletableFuture.completedFuture(before);
      }
      BoundStatementBuilder update = updateStatus.boundStatementBuilder()
          .setString("chat_id", chat.value())
          .setLong("bucket", bucket(seq))
          .setLong("seq", seq);
      // Only the stamps this receipt adds; the others stay unset, so they are not overwritten.
      for (ReceiptState s : new ReceiptState[] {
          ReceiptState.DELIVERED, ReceiptState.DISPLAYED, ReceiptState.ACKNOWLEDGED}) {
        Optional<Instant> added = after.stamp(s);
        if (added.isPresent() && before.stamp(s).isEmpty()) {
          update.setInstant(column(s), added.get());
        }
      }
      return session.executeAsync(update.build()).thenApply(rs -> after);
    });
  }

  @Override
  public CompletionStage<ReceiptStatus> status(ChatId chat, long seq) {
    requireNonNull(chat, "chat");
    return session.executeAsync(selectStatus.bind(chat.value(), bucket(seq), seq))
        .thenApply(rs -> toStatus(rs.one()));
  }

  static ReceiptStatus toStatus(@Nullable Row row) {
    if (row == null) {
      return ReceiptStatus.SENT;
    }
    return new ReceiptStatus(Optional.ofNullable(row.getInstant("delivered_at")),
        Optional.ofNullable(row.getInstant("displayed_at")),
        Optional.ofNullable(row.getInstant("acknowledged_at")));
  }

  static String column(ReceiptState state) {
    return switch (state) {
      case SENT -> throw new IllegalArgumentException("sent has no column");
      case DELIVERED -> "delivered_at";
      case DISPLAYED -> "displayed_at";
      case ACKNOWLEDGED -> "acknowledged_at";
    };
  }

  /** The {@code receipt_status} partition of a number, as in {@code chat_messages}. */
  static long bucket(long seq) {
    return ChatSeq.bucket(seq);
  }
}

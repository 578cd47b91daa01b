package dev.tern.storage.chats;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.tern.storage.messages.ChatId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The chats' home regions in Cassandra: table {@code chat_homes (chat_id) → home} (migration
 * v11), read and written at the session's consistency (LOCAL_QUORUM), without lightweight
 * transactions.
 *
 * <p>{@link #settle} reads the chat's home and writes its own region only if there is none.
 * Two regions settling one new chat at the same moment may each find none and each write their
 * own; each then numbers the chat until the write with the later timestamp has reached both
 * (Cassandra keeps the later one everywhere), as {@link ChatHomeStore#settle} allows. The same
 * race inside one region only writes the same region twice.
 */
public final class CassandraChatHomeStore implements ChatHomeStore {

  private final CqlSession session;
  private final PreparedStatement select;
  private final PreparedStatement insert;

  /** Prepares the statements, which needs the keyspace migrated to v11. */
  public CassandraChatHomeStore(CqlSession session, String keyspace) {
    this.session = requireNonNull(session, "session");
    requireNonNull(keyspace, "keyspace");
    String table = keyspace + ".chat_homes";
    this.select = session.prepare("SELECT home FROM " + table + " WHERE chat_id = ?");
    this.insert = session.prepare("INSERT INTO " + table + " (chat_id, home) VALUES (?, ?)");
  }

  @Override
  public CompletionStage<Optional<String>> home(ChatId chat) {
    requireNonNull(chat, "chat");
    return session.executeAsync(select.bind(chat.value()))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(row -> row.getString("home")));
  }

  @Override
  public CompletionStage<String> settle(ChatId chat, String region) {
    requireNonNull(chat, "chat");
    requireNonNull(region, "region");
    return home(chat).thenCompose(home -> home.isPresent()
        ? CompletableFuture.completedFuture(home.get())
        : session.executeAsync(insert.bind(chat.value(), region)).thenApply(rs -> region));
  }
}

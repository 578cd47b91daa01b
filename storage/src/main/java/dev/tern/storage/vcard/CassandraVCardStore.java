package dev.tern.storage.vcard;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The vCards in Cassandra: table {@code vcards (username → xml, updated)} (migration v14), one
 * row per user named by its bare JID. A set overwrites the row, so the vCard is replaced whole
 * (XEP-0054 §3.2). The keyspace replicates to every region's datacenter (NetworkTopologyStrategy),
 * so a vCard set in one region is read in the others once replicated; reads and writes use the
 * session's consistency (LOCAL_QUORUM).
 */
public final class CassandraVCardStore implements VCardStore {

  private final CqlSession session;
  private final PreparedStatement insert;
  private final PreparedStatement select;
  private final PreparedStatement delete;

  /** Prepares the statements, which needs the keyspace migrated to v14. */
  public CassandraVCardStore(CqlSession session, String keyspace) {
    this.session = requireNonNull(session, "session");
    requireNonNull(keyspace, "keyspace");
    String table = keyspace + ".vcards";
    this.insert = session.prepare(
        "INSERT INTO " + table + " (username, xml, updated) VALUES (?, ?, ?)");
    this.select = session.prepare("SELECT xml, updated FROM " + table + " WHERE username = ?");
    this.delete = session.prepare("DELETE FROM " + table + " WHERE username = ?");
  }

  @Override
  public CompletionStage<Optional<StoredVCard>> find(String user) {
    requireNonNull(user, "user");
    return session.executeAsync(select.bind(user)).thenApply(rs -> {
      Row row = rs.one();
      if (row == null || row.getString("xml") == null) {
        return Optional.empty();
      }
      Instant updated = row.getInstant("updated");
      return Optional.of(new StoredVCard(row.getString("xml"),
          updated == null ? Instant.EPOCH : updated));
    });
  }

  @Override
  public CompletionStage<Void> put(String user, String xml, Instant updated) {
    requireNonNull(user, "user");
    requireNonNull(xml, "xml");
    requireNonNull(updated, "updated");
    return session.executeAsync(insert.bind(user, xml, updated)).thenApply(rs -> null);
  }

  @Override
  public CompletionStage<Void> delete(String user) {
    requireNonNull(user, "user");
    return session.executeAsync(delete.bind(user)).thenApply(rs -> null);
  }
}

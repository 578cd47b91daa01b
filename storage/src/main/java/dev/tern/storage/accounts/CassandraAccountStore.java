package dev.tern.storage.accounts;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.MapType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import dev.tern.storage.CassandraErrors;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The accounts in Cassandra: table {@code accounts} (migration v1) with a column
 * {@code credentials map<text, frozen<scram_credential>>} (migration v2) and a column
 * {@code credentials_changed timestamp} (migration v13; null on rows older than it, read as
 * {@code created_at}).
 *
 * <p>Every write is a lightweight transaction ({@code IF NOT EXISTS} / {@code IF EXISTS}), so
 * that "the name is taken" and "there is no such account" are answered by Paxos rather than by a
 * read that may race with another region. The keyspace spans every region's datacenter and an
 * account is an address of the whole XMPP domain, so the Paxos round runs at {@code SERIAL}
 * (all datacenters) by default: two regions cannot both register the same name. Registration
 * and password changes therefore need a quorum of all replicas; reads, which authentication
 * does, stay at the session's LOCAL_QUORUM. Writes of one table never mix LWT and plain writes.
 */
public final class CassandraAccountStore implements AccountStore {

  private final CqlSession session;
  private final ConsistencyLevel serialConsistency;
  private final PreparedStatement insert;
  private final PreparedStatement select;
  private final PreparedStatement updateCredentials;
  private final PreparedStatement deleteAccount;
  private final UserDefinedType credentialType;

  /** Prepares the statements, which needs the keyspace migrated to v2; Paxos at SERIAL. */
  public CassandraAccountStore(CqlSession session, String keyspace) {
    this(session, keyspace, DefaultConsistencyLevel.SERIAL);
  }

  /**
   * As {@link #CassandraAccountStore(CqlSession, String)} with another Paxos consistency;
   * {@code LOCAL_SERIAL} keeps registration available while another region is down, at the price
   * of names being unique only within one datacenter.
   */
  public CassandraAccountStore(
      CqlSession session, String keyspace, ConsistencyLevel serialConsistency) {
    this.session = requireNonNull(session, "session");
    requireNonNull(keyspace, "keyspace");
    this.serialConsistency = requireNonNull(serialConsistency, "serialConsistency");
    if (!serialConsistency.isSerial()) {
      throw new IllegalArgumentException("serialConsistency: not SERIAL or LOCAL_SERIAL: "
          + serialConsistency);
    }
    String table = keyspace + ".accounts";
    this.insert = session.prepare("INSERT INTO " + table
        + " (username, created_at, credentials, credentials_changed) VALUES (?, ?, ?, ?)"
        + " IF NOT EXISTS");
    this.select = session.prepare(
        "SELECT username, created_at, credentials, credentials_changed FROM " + table
            + " WHERE username = ?");
    this.updateCredentials = session.prepare(
        "UPDATE " + table + " SET credentials = ?, credentials_changed = ? WHERE username = ?"
            + " IF EXISTS");
    this.deleteAccount = session.prepare("DELETE FROM " + table + " WHERE username = ? IF EXISTS");
    this.credentialType = credentialType(
        insert.getVariableDefinitions().get("credentials").getType());
  }

  @Override
  public CompletionStage<Boolean> create(Account account) {
    requireNonNull(account, "account");
    return create(account, 3);
  }

  /**
   * Under contention a lightweight transaction may end with its outcome unknown (the proposal
   * reached no quorum, or timed out). Reading the row at serial consistency then settles it: the
   * account is ours if it holds our credentials; if there is none, the insert is tried again.
   */
  private CompletionStage<Boolean> create(Account account, int attemptsLeft) {
    return applied(insert.boundStatementBuilder()
        .setString("username", account.username())
        .setInstant("created_at", account.createdAt())
        .setInstant("credentials_changed", account.credentialsChangedAt())
        .setMap("credentials", toUdts(account.credentials(), credentialType),
            String.class, UdtValue.class)
        .build())
        .exceptionallyCompose(error -> {
          if (!CassandraErrors.outcomeUnknown(error) || attemptsLeft <= 1) {
            return java.util.concurrent.CompletableFuture.failedFuture(error);
          }
          return session.executeAsync(select.boundStatementBuilder()
                  .setString("username", account.username())
                  .setConsistencyLevel(serialConsistency)
                  .build())
              .thenCompose(rs -> {
                Optional<Account> existing =
                    Optional.ofNullable(rs.one()).map(CassandraAccountStore::toAccount);
                return existing.isPresent()
                    ? java.util.concurrent.CompletableFuture.completedFuture(
                        existing.get().credentials().equals(account.credentials()))
                    : create(account, attemptsLeft - 1);
              });
        });
  }

  @Override
  public CompletionStage<Optional<Account>> find(String username) {
    requireNonNull(username, "username");
    BoundStatement statement = select.boundStatementBuilder()
        .setString("username", username)
        .build();
    return session.executeAsync(statement)
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(CassandraAccountStore::toAccount));
  }

  @Override
  public CompletionStage<Boolean> replaceCredentials(
      String username, Map<String, StoredCredential> credentials) {
    requireNonNull(username, "username");
    Map<String, StoredCredential> copy = Map.copyOf(requireNonNull(credentials, "credentials"));
    Account.checkCredentials(copy);
    return applied(updateCredentials.boundStatementBuilder()
        .setMap("credentials", toUdts(copy, credentialType), String.class, UdtValue.class)
        .setInstant("credentials_changed", Instant.now())
        .setString("username", username)
        .build());
  }

  @Override
  public CompletionStage<Boolean> delete(String username) {
    requireNonNull(username, "username");
    return applied(deleteAccount.boundStatementBuilder().setString("username", username).build());
  }

  private CompletionStage<Boolean> applied(BoundStatement statement) {
    return session.executeAsync(statement.setSerialConsistencyLevel(serialConsistency))
        .thenApply(AsyncResultSet::wasApplied);
  }

  static UserDefinedType credentialType(DataType columnType) {
    if (columnType instanceof MapType map && map.getValueType() instanceof UserDefinedType udt) {
      return udt;
    }
    throw new IllegalStateException(
        "accounts.credentials is " + columnType.asCql(true, true)
            + ", not map<text, frozen<scram_credential>>: is the schema at v2?");
  }

  static Map<String, UdtValue> toUdts(
      Map<String, StoredCredential> credentials, UserDefinedType type) {
    Map<String, UdtValue> out = new HashMap<>();
    credentials.forEach((mechanism, c) -> out.put(mechanism, toUdt(c, type)));
    return out;
  }

  static UdtValue toUdt(StoredCredential c, UserDefinedType type) {
    return type.newValue()
        .setString("mechanism", c.mechanism())
        .setByteBuffer("salt", ByteBuffer.wrap(c.salt()))
        .setInt("iterations", c.iterations())
        .setByteBuffer("stored_key", ByteBuffer.wrap(c.storedKey()))
        .setByteBuffer("server_key", ByteBuffer.wrap(c.serverKey()));
  }

  static StoredCredential fromUdt(UdtValue v) {
    return new StoredCredential(
        requireNonNull(v.getString("mechanism"), "scram_credential.mechanism"),
        bytes(v.getByteBuffer("salt"), "salt"),
        v.getInt("iterations"),
        bytes(v.getByteBuffer("stored_key"), "stored_key"),
        bytes(v.getByteBuffer("server_key"), "server_key"));
  }

  static Account toAccount(Row row) {
    Map<String, UdtValue> udts = row.getMap("credentials", String.class, UdtValue.class);
    Map<String, StoredCredential> credentials = new HashMap<>();
    if (udts != null) {
      udts.forEach((mechanism, v) -> credentials.put(mechanism, fromUdt(v)));
    }
    Instant createdAt = requireNonNull(row.getInstant("created_at"), "accounts.created_at is null");
    Instant changed = row.getInstant("credentials_changed"); // null: registered before v13
    return new Account(requireNonNull(row.getString("username"), "username"), createdAt,
        credentials, changed != null ? changed : createdAt);
  }

  private static byte[] bytes(ByteBuffer buffer, String field) {
    requireNonNull(buffer, "scram_credential." + field);
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}

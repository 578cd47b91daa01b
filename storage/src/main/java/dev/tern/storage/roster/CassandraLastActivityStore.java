package dev.tern.storage.roster;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Last activity in Cassandra (migration v9): one row per user in {@code last_activity} with the
 * set of available resources and the time and status of the last unavailable presence. Each
 * resource is added {@code USING TTL} {@link #ONLINE_TTL} (renewed by every available presence),
 * so a resource whose edge died without a word stops counting as online after a day. The last
 * write of {@code seen_at} wins, which is the latest unavailable presence.
 */
public final class CassandraLastActivityStore implements LastActivityStore {

  /** How long an available resource counts without a new available presence. */
  static final Duration ONLINE_TTL = Duration.ofDays(1);

  private final CqlSession session;
  private final PreparedStatement addOnline;
  private final PreparedStatement removeOnline;
  private final PreparedStatement select;

  /** Prepares the statements, which needs the keyspace migrated to v9. */
  public CassandraLastActivityStore(CqlSession session, String keyspace) {
    this.session = requireNonNull(session, "session");
    String table = requireNonNull(keyspace, "keyspace") + ".last_activity";
    this.addOnline = session.prepare("UPDATE " + table + " USING TTL "
        + ONLINE_TTL.toSeconds() + " SET online = online + ? WHERE username = ?");
    this.removeOnline = session.prepare("UPDATE " + table
        + " SET online = online - ?, seen_at = ?, status = ? WHERE username = ?");
    this.select = session.prepare(
        "SELECT online, seen_at, status FROM " + table + " WHERE username = ?");
  }

  @Override
  public CompletionStage<Void> available(String user, String resource) {
    requireNonNull(user, "user");
    requireNonNull(resource, "resource");
    return session.executeAsync(addOnline.bind(Set.of(resource), user)).thenApply(rs -> null);
  }

  @Override
  public CompletionStage<Void> unavailable(String user, String resource, Instant at, String status) {
    requireNonNull(user, "user");
    requireNonNull(resource, "resource");
    requireNonNull(at, "at");
    requireNonNull(status, "status");
    return session.executeAsync(removeOnline.bind(Set.of(resource), at, status, user))
        .thenApply(rs -> null);
  }

  @Override
  public CompletionStage<LastActivity> lastActivity(String user) {
    requireNonNull(user, "user");
    return session.executeAsync(select.bind(user)).thenApply(rs -> {
      Row row = rs.one();
      if (row == null) {
        return LastActivity.NEVER;
      }
      Set<String> online = row.getSet("online", String.class);
      String status = row.getString("status");
      return new LastActivity(online != null && !online.isEmpty(),
          Optional.ofNullable(row.getInstant("seen_at")), status == null ? "" : status);
    });
  }
}

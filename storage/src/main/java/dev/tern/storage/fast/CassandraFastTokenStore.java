package dev.tern.storage.fast;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The FAST tokens in Cassandra: table {@code fast_tokens} (migration v4), one partition per user
 * and device, one row per token, clustered by the SHA-256 of the token's secret (so a token can
 * be deleted by its secret without reading first). Each row is written {@code USING TTL} so that
 * Cassandra drops it when the token expires; TTLs count whole seconds, so {@link #find} also
 * leaves out rows whose {@code expires} has passed but which have not been dropped yet.
 *
 * <p>Reads and writes use the session's consistency (LOCAL_QUORUM): a token issued in one region
 * reaches the others by replication, usually well before the client reconnects.
 */
public final class CassandraFastTokenStore implements FastTokenStore {

  /** Cassandra refuses TTLs above 20 years. */
  static final long MAX_TTL_SECONDS = 20L * 365 * 24 * 60 * 60;

  private final CqlSession session;
  private final Clock clock;
  private final PreparedStatement insert;
  private final PreparedStatement select;
  private final PreparedStatement deleteOne;
  private final PreparedStatement deleteDevice;

  /** Prepares the statements, which needs the keyspace migrated to v4. */
  public CassandraFastTokenStore(CqlSession session, String keyspace) {
    this(session, keyspace, Clock.systemUTC());
  }

  CassandraFastTokenStore(CqlSession session, String keyspace, Clock clock) {
    this.session = requireNonNull(session, "session");
    requireNonNull(keyspace, "keyspace");
    this.clock = requireNonNull(clock, "clock");
    String table = keyspace + ".fast_tokens";
    this.insert = session.prepare("INSERT INTO " + table
        + " (username, device_id, token_id, mechanism, secret, expires) VALUES (?, ?, ?, ?, ?, ?)"
        + " USING TTL ?");
    this.select = session.prepare("SELECT mechanism, secret, expires FROM " + table
        + " WHERE username = ? AND device_id = ?");
    this.deleteOne = session.prepare(
        "DELETE FROM " + table + " WHERE username = ? AND device_id = ? AND token_id = ?");
    this.deleteDevice = session.prepare(
        "DELETE FROM " + table + " WHERE username = ? AND device_id = ?");
  }

  @Override
  public CompletionStage<Void> put(FastToken token) {
    requireNonNull(token, "token");
    long ttl = ttlSeconds(token.expires(), clock.instant());
    if (ttl <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    return session.executeAsync(insert.boundStatementBuilder()
            .setString(0, token.username())
            .setString(1, token.deviceId())
            .setByteBuffer(2, ByteBuffer.wrap(tokenId(token.secret())))
            .setString(3, token.mechanism())
            .setByteBuffer(4, ByteBuffer.wrap(token.secret()))
            .setInstant(5, token.expires())
            .setInt(6, (int) ttl)
            .build())
        .thenApply(rs -> null);
  }

  @Override
  public CompletionStage<List<FastToken>> find(String username, String deviceId) {
    requireNonNull(username, "username");
    requireNonNull(deviceId, "deviceId");
    List<FastToken> found = new ArrayList<>();
    return session.executeAsync(select.bind(username, deviceId))
        .thenCompose(rs -> collect(rs, username, deviceId, found))
        .thenApply(all -> {
          Instant now = clock.instant();
          return all.stream()
              .filter(t -> !t.hasExpired(now))
              .sorted(Comparator.comparing(FastToken::expires).reversed())
              .toList();
        });
  }

  private static CompletionStage<List<FastToken>> collect(
      AsyncResultSet rs, String username, String deviceId, List<FastToken> into) {
    for (Row row : rs.currentPage()) {
      into.add(toToken(username, deviceId, row.getString("mechanism"),
          row.getByteBuffer("secret"), row.getInstant("expires")));
    }
    if (rs.hasMorePages()) {
      return rs.fetchNextPage().thenCompose(next -> collect(next, username, deviceId, into));
    }
    return CompletableFuture.completedFuture(into);
  }

  @Override
  public CompletionStage<Void> delete(String username, String deviceId, byte[] secret) {
    requireNonNull(username, "username");
    requireNonNull(deviceId, "deviceId");
    requireNonNull(secret, "secret");
    return session.executeAsync(
            deleteOne.bind(username, deviceId, ByteBuffer.wrap(tokenId(secret))))
        .thenApply(rs -> null);
  }

  @Override
  public CompletionStage<Void> deleteAll(String username, String deviceId) {
    requireNonNull(username, "username");
    requireNonNull(deviceId, "deviceId");
    return session.executeAsync(deleteDevice.bind(username, deviceId)).thenApply(rs -> null);
  }

  /** The clustering key of a token: SHA-256 of its secret. */
  static byte[] tokenId(byte[] secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Whole seconds until {@code expires}, rounded up so that the row outlives the token; 0 or less
   * when it has expired; at most Cassandra's limit.
   */
  static long ttlSeconds(Instant expires, Instant now) {
    if (!now.isBefore(expires)) {
      return 0;
    }
    Duration left = Duration.between(now, expires);
    long seconds = left.getSeconds() + (left.getNano() > 0 ? 1 : 0);
    return Math.min(seconds, MAX_TTL_SECONDS);
  }

  static FastToken toToken(String username, String deviceId, String mechanism, ByteBuffer secret,
      Instant expires) {
    requireNonNull(mechanism, "fast_tokens.mechanism is null");
    requireNonNull(secret, "fast_tokens.secret is null");
    requireNonNull(expires, "fast_tokens.expires is null");
    byte[] bytes = new byte[secret.remaining()];
    secret.duplicate().get(bytes);
    return new FastToken(username, deviceId, mechanism, bytes, expires);
  }
}

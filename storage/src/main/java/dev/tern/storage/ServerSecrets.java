package dev.tern.storage;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * Secrets that every Tern process of every region must share and that never change, such as the
 * key SASL uses to give unknown users a stable stand-in salt. The first process to ask creates
 * the secret with a lightweight transaction; everyone else reads that one.
 */
public final class ServerSecrets {

  private final CqlSession session;
  private final String keyspace;
  private final SecureRandom random = new SecureRandom();

  public ServerSecrets(CqlSession session, String keyspace) {
    this.session = requireNonNull(session, "session");
    this.keyspace = requireNonNull(keyspace, "keyspace");
  }

  /** How often a start tries before giving up, when Cassandra times out (Paxos under load). */
  private static final int ATTEMPTS = 5;

  /**
   * The secret called {@code name}, {@code length} random bytes when first created. Read first (at
   * SERIAL, so a secret just created in another region is seen), created only when missing; a
   * timeout, whose outcome a lightweight transaction leaves unknown, is answered by reading and
   * trying again.
   */
  public byte[] getOrCreate(String name, int length) {
    for (int attempt = 1; ; attempt++) {
      try {
        Row row = session.execute(SimpleStatement.newInstance("SELECT value FROM " + keyspace
                + ".server_secrets WHERE name = ?", name)
            .setConsistencyLevel(DefaultConsistencyLevel.SERIAL)).one();
        if (row != null && row.getByteBuffer("value") != null) {
          return bytes(row.getByteBuffer("value"));
        }
        return create(name, length);
      } catch (com.datastax.oss.driver.api.core.servererrors.QueryExecutionException
          | com.datastax.oss.driver.api.core.DriverTimeoutException e) {
        if (attempt >= ATTEMPTS) {
          throw e;
        }
        try {
          Thread.sleep(250L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static byte[] bytes(ByteBuffer value) {
    byte[] out = new byte[value.remaining()];
    value.duplicate().get(out);
    return out;
  }

  private byte[] create(String name, int length) {
    byte[] fresh = new byte[length];
    random.nextBytes(fresh);
    Row row = session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace
                + ".server_secrets (name, value, created_at) VALUES (?, ?, ?) IF NOT EXISTS",
            name, ByteBuffer.wrap(fresh), Instant.now())
        .setSerialConsistencyLevel(DefaultConsistencyLevel.SERIAL)).one();
    if (row == null || row.getBoolean("[applied]")) {
      return fresh;
    }
    ByteBuffer existing = row.getByteBuffer("value");
    if (existing == null) {
      throw new IllegalStateException("server secret " + name + " exists without a value");
    }
    byte[] out = new byte[existing.remaining()];
    existing.duplicate().get(out);
    return out;
  }
}

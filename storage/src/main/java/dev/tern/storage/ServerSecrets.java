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

  /** The secret called {@code name}, {@code length} random bytes when first created. */
  public byte[] getOrCreate(String name, int length) {
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

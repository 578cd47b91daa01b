package dev.tern.storage;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.time.Duration;

/**
 * One region's connection to Cassandra: a driver session pinned to the region's datacenter,
 * reading and writing at LOCAL_QUORUM, with the schema brought up to date by {@link #migrate()}.
 */
public final class CassandraStorage implements AutoCloseable {

  private final CassandraConfig config;
  private final CqlSession session;

  private CassandraStorage(CassandraConfig config, CqlSession session) {
    this.config = config;
    this.session = session;
  }

  /** Connects to the local datacenter; fails if no contact point answers. */
  public static CassandraStorage connect(CassandraConfig config) {
    requireNonNull(config, "config");
    DriverConfigLoader loader = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, config.requestTimeout())
        .withString(DefaultDriverOption.REQUEST_CONSISTENCY,
            DefaultConsistencyLevel.LOCAL_QUORUM.name())
        .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY,
            DefaultConsistencyLevel.LOCAL_SERIAL.name())
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT,
            Duration.ofSeconds(30))
        .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
        // A wave of logins or disconnects asks more at once than one connection carries (1 024
        // statements in flight), and the driver refuses what finds no free stream at once ("no
        // connection was available"). The driver's throttler would queue them instead, but it
        // starts each queued statement from the completion of another, recursively: when those
        // found no free stream either (end of a 50 000-connection benchmark), the queue failed
        // through that recursion and overflowed the stack. More connections, and no queue.
        .withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, config.connectionsPerNode())
        // Protocol v5's segment framing failed to decode under concurrent lightweight
        // transactions with this driver on Netty 4.2 (IndexOutOfBoundsException, then the
        // connection closed); v4 carries everything Tern needs.
        .withString(DefaultDriverOption.PROTOCOL_VERSION, "V4")
        .build();
    CqlSession session = CqlSession.builder()
        .addContactPoints(config.contactPoints())
        .withLocalDatacenter(config.localDatacenter())
        .withConfigLoader(loader)
        .build();
    return new CassandraStorage(config, session);
  }

  /** Creates the keyspace if needed and applies every migration not applied yet. */
  public SchemaMigrator.Result migrate() {
    return new SchemaMigrator(session, config).migrate();
  }

  /** Throws unless the local datacenter answers a query now. */
  public void ping() {
    session.execute("SELECT release_version FROM system.local");
  }

  public CqlSession session() {
    return session;
  }

  public CassandraConfig config() {
    return config;
  }

  @Override
  public void close() {
    session.close();
  }
}

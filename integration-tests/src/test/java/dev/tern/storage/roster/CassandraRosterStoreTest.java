package dev.tern.storage.roster;

import dev.tern.it.TestFederation;
import dev.tern.storage.CassandraStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;

/** The roster store contract, against the real two-DC Cassandra (schema v8). */
@Order(21)
@ExtendWith(TestFederation.class)
class CassandraRosterStoreTest extends RosterStoreContract {

  private static CassandraStorage storage;

  @BeforeAll
  static void connect() {
    storage = CassandraStorage.connect(TestFederation.regionConfig("region-a").cassandraConfig());
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  @Override
  protected RosterStore store() {
    return new CassandraRosterStore(storage.session(), storage.config().keyspace());
  }
}

package dev.tern.storage.fast;

import dev.tern.it.TestFederation;
import dev.tern.storage.CassandraStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;

/** The FAST token store contract, against the real two-datacenter Cassandra. */
@Order(8)
@ExtendWith(TestFederation.class)
class CassandraFastTokenStoreTest extends FastTokenStoreContract {

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
  protected FastTokenStore store() {
    return new CassandraFastTokenStore(storage.session(), storage.config().keyspace());
  }
}

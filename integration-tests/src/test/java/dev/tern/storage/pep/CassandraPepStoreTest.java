package dev.tern.storage.pep;

import dev.tern.it.TestFederation;
import dev.tern.storage.CassandraStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PEP store contract, against the real two-datacenter Cassandra. */
@Order(22)
@ExtendWith(TestFederation.class)
class CassandraPepStoreTest extends PepStoreContract {

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
  protected PepStore store() {
    return new CassandraPepStore(storage.session(), storage.config().keyspace());
  }
}

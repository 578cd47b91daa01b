package dev.tern.storage.archive;

import dev.tern.it.TestFederation;
import dev.tern.storage.CassandraStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The message archive contract, against the real two-DC Cassandra. One store for the class, as a
 * router has, so that its memory of the period rows it wrote is used across tests.
 */
@Order(19)
@ExtendWith(TestFederation.class)
class CassandraArchiveStoreTest extends ArchiveStoreContract {

  private static CassandraStorage storage;
  private static CassandraArchiveStore store;

  @BeforeAll
  static void connect() {
    storage = CassandraStorage.connect(TestFederation.regionConfig("region-a").cassandraConfig());
    store = new CassandraArchiveStore(storage.session(), storage.config().keyspace());
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  @Override
  protected ArchiveStore store() {
    return store;
  }
}

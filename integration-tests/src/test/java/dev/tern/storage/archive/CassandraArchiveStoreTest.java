package dev.tern.storage.archive;

import dev.tern.it.TestFederation;
import dev.tern.storage.CassandraStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;

/** The message archive contract, against the real two-DC Cassandra. */
@Order(19)
@ExtendWith(TestFederation.class)
class CassandraArchiveStoreTest extends ArchiveStoreContract {

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
  protected ArchiveStore store() {
    return new CassandraArchiveStore(storage.session(), storage.config().keyspace());
  }
}

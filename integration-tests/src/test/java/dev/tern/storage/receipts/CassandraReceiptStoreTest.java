package dev.tern.storage.receipts;

import dev.tern.it.TestFederation;
import dev.tern.storage.CassandraStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;

/** The receipt store contract, against the real two-DC Cassandra. */
@Order(20)
@ExtendWith(TestFederation.class)
class CassandraReceiptStoreTest extends ReceiptStoreContract {

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
  protected ReceiptStore store() {
    return new CassandraReceiptStore(storage.session(), storage.config().keyspace());
  }
}

package dev.tern.storage.messages;

import dev.tern.it.TestFederation;
import dev.tern.storage.CassandraStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The message store contract (writes, history across partitions and epochs, origin records),
 * against the real two-DC Cassandra. One store for the class, as a router has, so that its
 * memory of the bucket rows it wrote is used across tests.
 */
@Order(9)
@ExtendWith(TestFederation.class)
class CassandraMessageStoreTest extends MessageStoreContract {

  private static CassandraStorage storage;
  private static CassandraMessageStore store;

  @BeforeAll
  static void connect() {
    storage = CassandraStorage.connect(TestFederation.regionConfig("region-a").cassandraConfig());
    store = new CassandraMessageStore(storage.session(), storage.config().keyspace());
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  @Override
  protected MessageStore store() {
    return store;
  }
}

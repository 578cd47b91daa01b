package dev.tern.storage.chats;

import dev.tern.it.TestFederation;
import dev.tern.storage.CassandraStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shard lease contract (compare-and-set at LOCAL_SERIAL), against the two-DC Cassandra. */
@Order(9)
@ExtendWith(TestFederation.class)
class CassandraChatLeaseStoreTest extends ChatLeaseStoreContract {

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
  protected ChatLeaseStore store() {
    return new CassandraChatLeaseStore(storage.session(), storage.config().keyspace());
  }
}

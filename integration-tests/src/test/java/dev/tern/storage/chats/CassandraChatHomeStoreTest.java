package dev.tern.storage.chats;

import dev.tern.it.TestFederation;
import dev.tern.storage.CassandraStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;

/** The chat home contract (the first region to settle a chat keeps it), against Cassandra. */
@Order(9)
@ExtendWith(TestFederation.class)
class CassandraChatHomeStoreTest extends ChatHomeStoreContract {

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
  protected ChatHomeStore store() {
    return new CassandraChatHomeStore(storage.session(), storage.config().keyspace());
  }
}

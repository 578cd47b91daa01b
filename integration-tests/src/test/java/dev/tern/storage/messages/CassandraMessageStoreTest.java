package dev.tern.storage.messages;

import dev.tern.it.TestFederation;
import dev.tern.storage.CassandraStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;

/** The message store contract (per-chat numbering, dedupe), against the real two-DC Cassandra. */
@Order(9)
@ExtendWith(TestFederation.class)
class CassandraMessageStoreTest extends MessageStoreContract {

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
  protected MessageStore store() {
    return new CassandraMessageStore(storage.session(), storage.config().keyspace());
  }
}

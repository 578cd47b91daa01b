package dev.tern.storage.messages;

import dev.tern.it.TestFederation;
import dev.tern.storage.CassandraStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;

/** The unread queue contract, against the real two-DC Cassandra. */
@Order(9)
@ExtendWith(TestFederation.class)
class CassandraUnreadQueueTest extends UnreadQueueContract {

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
  protected UnreadQueue queue() {
    return new CassandraUnreadQueue(storage.session(), storage.config().keyspace());
  }
}

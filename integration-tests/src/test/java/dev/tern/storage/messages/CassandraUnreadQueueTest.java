package dev.tern.storage.messages;

import dev.tern.it.TestFederation;
import dev.tern.storage.CassandraStorage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The unread queue contract, against the real two-DC Cassandra. The queue refers to messages in
 * {@code chat_messages}, so each is stored first by a message store on the same session, as the
 * router does; retention and a crash of {@code add} are played by deleting rows directly.
 */
@Order(9)
@ExtendWith(TestFederation.class)
class CassandraUnreadQueueTest extends UnreadQueueContract {

  private static CassandraStorage storage;
  private static CassandraMessageStore messages;

  @BeforeAll
  static void connect() {
    storage = CassandraStorage.connect(TestFederation.regionConfig("region-a").cassandraConfig());
    messages = new CassandraMessageStore(storage.session(), storage.config().keyspace());
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  @Override
  protected UnreadQueue queue() {
    return new CassandraUnreadQueue(storage.session(), storage.config().keyspace());
  }

  @Override
  protected void store(StoredMessage m) {
    try {
      messages.store(m).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the message was not stored", e);
    }
  }

  @Override
  protected void expire(StoredMessage m) {
    storage.session().execute("DELETE FROM " + storage.config().keyspace()
        + ".chat_messages WHERE chat_id = ? AND bucket = ? AND seq = ?",
        m.chat().value(), ChatSeq.bucket(m.seq()), m.seq());
  }

  @Override
  protected void loseIndexRow(String user, StoredMessage m) {
    storage.session().execute("DELETE FROM " + storage.config().keyspace()
        + ".unread_index WHERE username = ? AND chat_id = ? AND seq = ?",
        user, m.chat().value(), m.seq());
  }
}

package dev.tern.storage.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What can be checked of the Cassandra unread queue without a Cassandra: TTLs, schema. */
class CassandraUnreadQueueMappingTest {

  private static String v12() throws IOException {
    try (InputStream in = CassandraUnreadQueue.class
        .getResourceAsStream("/dev/tern/storage/migrations/v12.cql")) {
      assertThat(in).as("migration v12").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    }
  }

  @Test
  void withoutRetentionEntriesDoNotExpire() {
    assertThat(CassandraUnreadQueue.ttlSeconds(Duration.ZERO)).isZero();
  }

  @Test
  void anEntryOutlivesItsMessage() {
    Duration retention = Duration.ofDays(30);

    assertThat(CassandraUnreadQueue.ttlSeconds(retention))
        .isGreaterThan(CassandraMessageStore.ttlSeconds(retention));
  }

  @Test
  void anEntryNeverAsksForMoreThanCassandrasLongestTtl() {
    assertThat(CassandraUnreadQueue.ttlSeconds(Duration.ofDays(365L * 20)))
        .isEqualTo(630_720_000);
  }

  @Test
  void aNegativeRetentionIsRefused() {
    assertThatThrownBy(() -> CassandraUnreadQueue.ttlSeconds(Duration.ofSeconds(-1)))
        .hasMessageContaining("retention");
  }

  @Test
  void migrationV12CreatesTheEntriesInQueueOrderWithoutTheStanza() throws IOException {
    assertThat(v12())
        .contains("CREATE TABLE IF NOT EXISTS ${keyspace}.unread_refs ( username text,"
            + " stored_at timestamp, chat_id text, seq bigint,"
            + " PRIMARY KEY (username, stored_at, chat_id, seq) )"
            + " WITH CLUSTERING ORDER BY (stored_at ASC, chat_id ASC, seq ASC)")
        .doesNotContain("stanza_xml");
  }
}

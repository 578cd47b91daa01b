package dev.tern.storage.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What can be checked of the Cassandra message store without a Cassandra: mapping, TTL, schema. */
class CassandraMessageStoreMappingTest {

  private static final Instant NOW = Instant.parse("2025-05-01T12:00:00.123Z");
  private static final ChatId CHAT = new ChatId("a@x/b@x");

  private static String migration(int version) throws IOException {
    try (InputStream in = CassandraMessageStore.class.getResourceAsStream(
        "/dev/tern/storage/migrations/v" + version + ".cql")) {
      assertThat(in).as("migration v" + version).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    }
  }

  @Test
  void aRowBecomesTheMessageItWasWrittenFromWithANullOriginIdAsNone() {
    StoredMessage m = CassandraMessageStore.message("a@x/b@x", 3, "sid", "a@x", "b@x", null,
        "<message/>", NOW);

    assertThat(m).isEqualTo(new StoredMessage(CHAT, 3, "sid", "a@x", "b@x",
        Optional.empty(), "<message/>", NOW));
    assertThat(CassandraMessageStore.message("a@x/b@x", 3, "sid", "a@x", "b@x", "o1",
        "<message/>", NOW).originId()).contains("o1");
  }

  @Test
  void aRowWithoutItsStanzaIsRefusedByName() {
    assertThatThrownBy(() -> CassandraMessageStore.message("a@x/b@x", 3, "sid", "a@x", "b@x",
        null, null, NOW)).hasMessageContaining("stanza_xml");
  }

  @Test
  void anOriginRowBecomesTheRecordItWasWrittenFromWithANullCompleteAsNotComplete() {
    assertThat(CassandraMessageStore.origin("a@x", "o1", "a@x/b@x", 7, "sid", "b@x", NOW, true))
        .isEqualTo(new OriginRecord("a@x", "o1", CHAT, 7, "sid", "b@x", NOW, true));
    assertThat(CassandraMessageStore.origin("a@x", "o1", "a@x/b@x", 7, "sid", "b@x", NOW, null)
        .complete()).isFalse();
  }

  @Test
  void anOriginRowWithoutItsStanzaIdIsRefusedByName() {
    assertThatThrownBy(() -> CassandraMessageStore.origin("a@x", "o1", "a@x/b@x", 7, null, "b@x",
        NOW, false)).hasMessageContaining("message_origins.stanza_id");
  }

  @Test
  void withoutRetentionNeitherMessagesNorBucketRowsExpire() {
    assertThat(CassandraMessageStore.ttlSeconds(Duration.ZERO)).isZero();
    assertThat(CassandraMessageStore.bucketTtlSeconds(Duration.ZERO)).isZero();
  }

  @Test
  void aBucketRowOutlivesItsMessagesByMoreThanItGoesUnwritten() {
    Duration retention = Duration.ofDays(30);

    int messages = CassandraMessageStore.ttlSeconds(retention);
    int buckets = CassandraMessageStore.bucketTtlSeconds(retention);

    assertThat(messages).isEqualTo(30 * 86_400);
    assertThat(buckets - messages)
        .isGreaterThan((int) CassandraMessageStore.REWRITE_AFTER.getSeconds());
  }

  @Test
  void aBucketRowNeverAsksForMoreThanCassandrasLongestTtl() {
    assertThat(CassandraMessageStore.bucketTtlSeconds(Duration.ofDays(365L * 20)))
        .isEqualTo(630_720_000);
  }

  @Test
  void aNegativeRetentionIsRefused() {
    assertThatThrownBy(() -> CassandraMessageStore.ttlSeconds(Duration.ofSeconds(-1)))
        .hasMessageContaining("retention");
  }

  @Test
  void migrationV11CreatesTheLeaseHomeOriginAndBucketTables() throws IOException {
    assertThat(migration(11))
        .contains("CREATE TABLE IF NOT EXISTS ${keyspace}.chat_leases ( home text, shard int,"
            + " owner text, epoch bigint, expires timestamp, PRIMARY KEY ((home, shard)) )")
        .contains("CREATE TABLE IF NOT EXISTS ${keyspace}.chat_homes ( chat_id text PRIMARY KEY,"
            + " home text )")
        .contains("CREATE TABLE IF NOT EXISTS ${keyspace}.message_origins ( sender text,"
            + " origin_id text, chat_id text, seq bigint, stanza_id text, recipient text,"
            + " stored_at timestamp, complete boolean, PRIMARY KEY ((sender, origin_id)) )"
            + " WITH default_time_to_live = 2592000")
        .contains("CREATE TABLE IF NOT EXISTS ${keyspace}.chat_buckets ( chat_id text,"
            + " bucket bigint, PRIMARY KEY (chat_id, bucket) )")
        .doesNotContain("stanza_xml");
  }

  @Test
  void theMessagesStayWhereV5PutThemWithTheUnreadQueue() throws IOException {
    assertThat(migration(5))
        .contains("PRIMARY KEY ((chat_id, bucket), seq) ) WITH CLUSTERING ORDER BY (seq ASC)")
        .contains("PRIMARY KEY (username, stored_at, chat_id, seq)")
        .contains("CREATE TABLE IF NOT EXISTS ${keyspace}.unread_index (")
        .contains("PRIMARY KEY (username, chat_id, seq)");
  }
}

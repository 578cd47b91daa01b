package dev.tern.storage.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.storage.messages.CassandraMessageStore.Allocation;
import dev.tern.storage.messages.CassandraMessageStore.Head;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What can be checked of the Cassandra stores without a Cassandra: mapping, numbering, schema. */
class CassandraMessageStoreMappingTest {

  private static final Instant NOW = Instant.parse("2025-05-01T12:00:00.123Z");

  @Test
  void aChatsFirstMessageIsNumberedOneAtTheCurrentTime() {
    Allocation a = CassandraMessageStore.next(Head.NONE, NOW.plusNanos(456_789), "s1");

    assertThat(a).isEqualTo(new Allocation(1, "s1", NOW));
  }

  @Test
  void theNextNumberFollowsTheHeadAndItsTimeNeverGoesBackwards() {
    Head head = new Head(41, NOW.plusSeconds(5), "s41");

    assertThat(CassandraMessageStore.next(head, NOW, "s42"))
        .isEqualTo(new Allocation(42, "s42", NOW.plusSeconds(5)));
    assertThat(CassandraMessageStore.next(head, NOW.plusSeconds(9), "s42"))
        .isEqualTo(new Allocation(42, "s42", NOW.plusSeconds(9)));
  }

  @Test
  void aProposalWithAnUnknownOutcomeIsOursOnlyIfTheHeadCarriesItsNumberAndStanzaId() {
    Allocation proposal = new Allocation(7, "mine", NOW);

    assertThat(CassandraMessageStore.isOurs(new Head(7, NOW, "mine"), proposal)).isTrue();
    assertThat(CassandraMessageStore.isOurs(new Head(7, NOW, "theirs"), proposal)).isFalse();
    assertThat(CassandraMessageStore.isOurs(new Head(8, NOW, "later"), proposal)).isFalse();
    assertThat(CassandraMessageStore.isOurs(new Head(6, NOW, null), proposal)).isFalse();
  }

  @Test
  void tenThousandNumbersShareAPartition() {
    assertThat(CassandraMessageStore.bucket(1)).isZero();
    assertThat(CassandraMessageStore.bucket(9_999)).isZero();
    assertThat(CassandraMessageStore.bucket(10_000)).isEqualTo(1);
    assertThat(CassandraMessageStore.bucket(25_000)).isEqualTo(2);
  }

  @Test
  void aRowBecomesTheMessageItWasWrittenFromWithANullOriginIdAsNone() {
    StoredMessage m = CassandraMessageStore.message("a@x/b@x", 3, "sid", "a@x", "b@x", null,
        "<message/>", NOW);

    assertThat(m).isEqualTo(new StoredMessage(new ChatId("a@x/b@x"), 3, "sid", "a@x", "b@x",
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
  void migrationV5CreatesTheMessageTables() throws IOException {
    String cql;
    try (InputStream in = CassandraMessageStore.class.getResourceAsStream(
        "/dev/tern/storage/migrations/v5.cql")) {
      assertThat(in).isNotNull();
      cql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String flat = cql.replaceAll("\\s+", " ");

    assertThat(flat)
        .contains("CREATE TABLE IF NOT EXISTS ${keyspace}.chat_heads ( chat_id text PRIMARY KEY,"
            + " last_seq bigint, last_stored_at timestamp, last_stanza_id text )")
        .contains("PRIMARY KEY ((chat_id, bucket), seq) ) WITH CLUSTERING ORDER BY (seq ASC)")
        .contains("PRIMARY KEY ((sender, origin_id)) ) WITH default_time_to_live = 2592000")
        .contains("PRIMARY KEY (username, stored_at, chat_id, seq)")
        .contains("CREATE TABLE IF NOT EXISTS ${keyspace}.unread_index (")
        .contains("PRIMARY KEY (username, chat_id, seq)");
  }
}

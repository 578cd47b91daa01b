package dev.tern.storage.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.storage.messages.ChatSeq;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What can be checked of the Cassandra receipt store without a Cassandra: buckets, schema. */
class CassandraReceiptStoreMappingTest {

  private static String v7() throws IOException {
    try (InputStream in = CassandraReceiptStore.class
        .getResourceAsStream("/dev/tern/storage/migrations/v7.cql")) {
      assertThat(in).as("migration v7").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void statusIsBucketedExactlyLikeChatMessages() {
    long first = ChatSeq.first(1, Instant.parse("2026-03-01T12:00:00Z").toEpochMilli());
    long weekLater = ChatSeq.first(1, Instant.parse("2026-03-08T12:00:00Z").toEpochMilli());
    long nextEpoch = ChatSeq.first(2, Instant.parse("2026-03-01T12:00:00Z").toEpochMilli());

    for (long seq : new long[] {first, first + 1, weekLater, nextEpoch}) {
      assertThat(CassandraReceiptStore.bucket(seq)).isEqualTo(ChatSeq.bucket(seq));
    }
    assertThat(CassandraReceiptStore.bucket(first + 1))
        .isEqualTo(CassandraReceiptStore.bucket(first));
    assertThat(CassandraReceiptStore.bucket(weekLater))
        .isNotEqualTo(CassandraReceiptStore.bucket(first));
  }

  @Test
  void migrationV7CreatesTheTablesAndColumnsTheStoreUses() throws IOException {
    String cql = v7();

    assertThat(cql).contains("${keyspace}.message_refs", "PRIMARY KEY ((chat_id, sender, ref))",
        "${keyspace}.receipt_status", "PRIMARY KEY ((chat_id, bucket), seq)");
    for (ReceiptState s : new ReceiptState[] {
        ReceiptState.DELIVERED, ReceiptState.DISPLAYED, ReceiptState.ACKNOWLEDGED}) {
      assertThat(cql).contains(CassandraReceiptStore.column(s) + " ");
    }
  }
}

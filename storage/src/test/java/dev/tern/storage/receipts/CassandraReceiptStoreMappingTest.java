package dev.tern.storage.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
    assertThat(CassandraReceiptStore.bucket(1)).isZero();
    assertThat(CassandraReceiptStore.bucket(9_999)).isZero();
    assertThat(CassandraReceiptStore.bucket(10_000)).isEqualTo(1);
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

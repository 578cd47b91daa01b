package dev.tern.storage.fast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What can be checked of the Cassandra store without a Cassandra: its mapping and its schema. */
class CassandraFastTokenStoreMappingTest {

  private static final Instant NOW = Instant.parse("2025-05-01T12:00:00Z");

  @Test
  void theTtlIsRoundedUpToWholeSecondsSoTheRowOutlivesTheToken() {
    assertThat(CassandraFastTokenStore.ttlSeconds(NOW.plusSeconds(30), NOW)).isEqualTo(30);
    assertThat(CassandraFastTokenStore.ttlSeconds(NOW.plusMillis(30_001), NOW)).isEqualTo(31);
    assertThat(CassandraFastTokenStore.ttlSeconds(NOW.plusMillis(1), NOW)).isEqualTo(1);
  }

  @Test
  void anExpiredTokenHasNoTtlAndAVeryLongOneIsCappedAtCassandrasLimit() {
    assertThat(CassandraFastTokenStore.ttlSeconds(NOW, NOW)).isZero();
    assertThat(CassandraFastTokenStore.ttlSeconds(NOW.minusSeconds(1), NOW)).isLessThanOrEqualTo(0);
    assertThat(CassandraFastTokenStore.ttlSeconds(NOW.plusSeconds(700_000_000L), NOW))
        .isEqualTo(630_720_000L);
  }

  @Test
  void theTokenIdIsTheSha256OfTheSecret() throws Exception {
    byte[] secret = "token".getBytes(StandardCharsets.US_ASCII);

    assertThat(CassandraFastTokenStore.tokenId(secret))
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(secret))
        .hasSize(32);
  }

  @Test
  void aRowBecomesTheTokenItWasWrittenFrom() {
    FastToken t = CassandraFastTokenStore.toToken("juliet", "dev", "HT-SHA-256-EXPR",
        ByteBuffer.wrap(new byte[] {7, 8}), NOW);

    assertThat(t).isEqualTo(new FastToken("juliet", "dev", "HT-SHA-256-EXPR",
        new byte[] {7, 8}, NOW));
  }

  @Test
  void migrationV4CreatesTheTablePartitionedByUserAndDevice() throws IOException {
    String cql;
    try (InputStream in = CassandraFastTokenStore.class.getResourceAsStream(
        "/dev/tern/storage/migrations/v4.cql")) {
      assertThat(in).isNotNull();
      cql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String flat = cql.replaceAll("\\s+", " ");

    assertThat(flat).contains("CREATE TABLE IF NOT EXISTS ${keyspace}.fast_tokens (")
        .contains("username text,", "device_id text,", "token_id blob,", "mechanism text,",
            "secret blob,", "expires timestamp,")
        .contains("PRIMARY KEY ((username, device_id), token_id)");
  }
}

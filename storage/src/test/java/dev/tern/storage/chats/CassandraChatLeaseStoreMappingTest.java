package dev.tern.storage.chats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What can be checked of the Cassandra lease store without a Cassandra: mapping. */
class CassandraChatLeaseStoreMappingTest {

  private static final Instant EXPIRES = Instant.parse("2026-03-01T12:00:10.250Z");

  @Test
  void aRowBecomesTheLeaseItWasWrittenFrom() {
    assertThat(CassandraChatLeaseStore.lease("region-a", 3, "router-1", 7, EXPIRES))
        .isEqualTo(new ChatLease("region-a", 3, "router-1", 7, EXPIRES));
  }

  @Test
  void aRowWithoutItsOwnerIsRefusedByName() {
    assertThatThrownBy(() -> CassandraChatLeaseStore.lease("region-a", 3, null, 7, EXPIRES))
        .hasMessageContaining("chat_leases.owner");
  }
}

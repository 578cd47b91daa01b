package dev.tern.regions.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.directory.presence.ConnectedResource;
import dev.tern.directory.presence.UserLocation;
import dev.tern.regions.admin.AdminEndpoints;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WhereTest {

  private static final Instant SINCE = Instant.parse("2025-06-01T12:00:00Z");

  @Test
  void anOnlineUserIsPrintedWithEachResourceRegionEdgeAndSince() {
    JsonNode body = AdminEndpoints.toJson(new UserLocation("alice@localhost", List.of(
        new ConnectedResource("phone", "region-b", "region-b-edge-42-abcdef", SINCE)),
        Optional.of(SINCE.minusSeconds(60))));

    String printed = Where.render(body, "region-a");

    assertThat(printed).startsWith("alice@localhost: online in region-b\n")
        .contains("phone", "region-b-edge-42-abcdef", "2025-06-01T12:00:00Z")
        .contains("last seen: 2025-06-01T11:59:00Z");
  }

  @Test
  void anOfflineUserNeverSeenSaysSo() {
    JsonNode body = AdminEndpoints.toJson(
        new UserLocation("bob@localhost", List.of(), Optional.empty()));

    assertThat(Where.render(body, "region-a")).startsWith("bob@localhost: offline\n")
        .contains("last seen: never");
    assertThat(body.path("lastSeen").isNull()).isTrue();
    assertThat(body.path("online").asBoolean()).isFalse();
  }
}

package dev.tern.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthEndpointTest {

  private static HealthReport report(Map<String, HealthCheck> checks) {
    try (HealthEndpoint health = new HealthEndpoint("region-a", checks, Duration.ofMillis(300))) {
      return health.report().join();
    }
  }

  @Test
  void theRegionIsUpOnlyWhenEveryDependencyIs() {
    Map<String, HealthCheck> checks = new LinkedHashMap<>();
    checks.put("cassandra", () -> { });
    checks.put("redis", () -> {
      throw new IllegalStateException("cluster_state:fail");
    });

    HealthReport report = report(checks);

    assertThat(report.up()).isFalse();
    assertThat(report.checks().get("cassandra").up()).isTrue();
    assertThat(report.checks().get("redis").error()).contains("cluster_state:fail");
    assertThat(HealthEndpoint.toJson(report))
        .contains("\"status\" : \"DOWN\"", "\"region\" : \"region-a\"", "cluster_state:fail");
  }

  @Test
  void aDependencyThatDoesNotAnswerInTimeIsDown() {
    HealthReport report = report(Map.of("nats", () -> Thread.sleep(5_000)));

    assertThat(report.up()).isFalse();
    assertThat(report.checks().get("nats").error()).contains("no answer within 300 ms");
  }

  @Test
  void theRouteAnswers200WhenUpAnd503WhenDown() {
    try (HealthEndpoint up = new HealthEndpoint("r", Map.of("a", () -> { }), Duration.ofSeconds(1));
        HealthEndpoint down = new HealthEndpoint("r", Map.of("a", () -> {
          throw new Exception("x");
        }), Duration.ofSeconds(1))) {
      assertThat(up.route().handler().get().toCompletableFuture().join().status()).isEqualTo(200);
      assertThat(down.route().handler().get().toCompletableFuture().join().status()).isEqualTo(503);
    }
  }
}

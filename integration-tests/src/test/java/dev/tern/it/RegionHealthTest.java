package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.regions.RegionConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Order(5)
@ExtendWith(TestFederation.class)
class RegionHealthTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(String region, String path) throws Exception {
    RegionConfig c = Regions.config(region);
    return HTTP.send(HttpRequest.newBuilder(URI.create(
        "http://" + c.http().host() + ":" + c.http().port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"region-a", "region-b"})
  void healthReportsEveryDependencyOfTheRegionUp(String region) throws Exception {
    HttpResponse<String> response = get(region, "/health");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode health = new ObjectMapper().readTree(response.body());
    assertThat(health.path("status").asText()).isEqualTo("UP");
    assertThat(health.path("region").asText()).isEqualTo(region);
    JsonNode checks = health.path("checks");
    for (String dependency : new String[] {"cassandra", "redis", "nats", "router", "media"}) {
      assertThat(checks.path(dependency).path("status").asText()).as(dependency).isEqualTo("UP");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"region-a", "region-b"})
  void metricsServeJvmAndProcessMetricsLabelledWithTheRegion(String region) throws Exception {
    HttpResponse<String> response = get(region, "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body())
        .contains("jvm_memory_used_bytes{", "jvm_threads_live_threads{",
            "process_cpu_usage{", "process_uptime_seconds{", "process_files_open_files{")
        .contains("region=\"" + region + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"region-a", "region-b"})
  void anUnknownPathIsNotFound(String region) throws Exception {
    assertThat(get(region, "/nothing-here").statusCode()).isEqualTo(404);
  }
}

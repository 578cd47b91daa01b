package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.regions.launcher.Endpoint;
import dev.tern.regions.launcher.Member;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Order(4)
@ExtendWith(TestFederation.class)
class JetStreamConfigTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Endpoint> monitoringEndpoints() {
    return TestFederation.get().federation().members().stream()
        .filter(m -> m.name().startsWith("nats-"))
        .map(Member::endpoints)
        .map(endpoints -> endpoints.stream().filter(e -> e.purpose().equals("monitoring"))
            .findFirst().orElseThrow())
        .toList();
  }

  @Test
  void everyNatsServerKeepsJetStreamOnFileAndFsyncsEveryWrite() throws Exception {
    List<Endpoint> servers = monitoringEndpoints();
    assertThat(servers).hasSize(6);
    HttpClient http = HttpClient.newHttpClient();
    for (Endpoint e : servers) {
      String body = http.send(HttpRequest.newBuilder(
              URI.create("http://" + e.host() + ":" + e.port() + "/varz")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      JsonNode config = JSON.readTree(body).path("jetstream").path("config");
      assertThat(config.path("sync_always").asBoolean()).as("sync_interval always on %s", e)
          .isTrue();
      assertThat(config.path("store_dir").asText())
          .startsWith(TestFederation.get().federation().layout().home().toString());
      assertThat(config.path("max_storage").asLong()).as("file storage on %s", e).isPositive();
    }
  }

  @Test
  void aReplicatedStreamInRegionAIsStoredOnFile() throws Exception {
    String name = "IT_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection nats = Nats.connect(Regions.config("region-a").nats().servers().get(0))) {
      JetStreamManagement jsm = nats.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name(name).subjects("it.js." + name)
          .storageType(StorageType.File).replicas(3).build());
      try {
        nats.jetStream().publish("it.js." + name, "durable".getBytes());
        StreamInfo info = jsm.getStreamInfo(name);
        assertThat(info.getConfiguration().getStorageType()).isEqualTo(StorageType.File);
        assertThat(info.getStreamState().getMsgCount()).isEqualTo(1);
        assertThat(info.getClusterInfo().getName()).isEqualTo("region-a");
        assertThat(info.getClusterInfo().getReplicas()).hasSize(2);
      } finally {
        jsm.deleteStream(name);
      }
    }
  }
}

package dev.tern.regions.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The supercluster gateways of this region's NATS servers, from their monitoring endpoints
 * ({@code /varz} for the configured gateways, {@code /gatewayz} for the connected ones).
 */
final class NatsGateways {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> monitoring;
  private final Duration timeout;
  private final HttpClient http;

  NatsGateways(List<String> monitoring, Duration timeout) {
    this.monitoring = List.copyOf(requireNonNull(monitoring, "monitoring"));
    this.timeout = requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /**
   * Per server: the regions it has an outbound and an inbound gateway with. {@code connected}
   * when every server answered and has an outbound gateway to every region any of them names.
   * Blocks up to the timeout per server.
   */
  ObjectNode report() {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode servers = out.putArray("servers");
    Set<String> regions = new TreeSet<>();
    boolean allAnswered = !monitoring.isEmpty();
    for (String url : monitoring) {
      ObjectNode server = servers.addObject();
      server.put("monitor", url);
      try {
        JsonNode gatewayz = get(url, "/gatewayz");
        JsonNode varz = get(url, "/varz");
        server.put("server", varz.path("server_name").asText(gatewayz.path("server_id").asText()));
        ArrayNode outbound = server.putArray("outbound");
        gatewayz.path("outbound_gateways").fieldNames().forEachRemaining(name -> {
          outbound.add(name);
          regions.add(name);
        });
        ArrayNode inbound = server.putArray("inbound");
        gatewayz.path("inbound_gateways").fieldNames().forEachRemaining(name -> {
          inbound.add(name);
          regions.add(name);
        });
        for (JsonNode configured : varz.path("gateway").path("gateways")) {
          String name = configured.path("name").asText("");
          if (!name.isEmpty() && !name.equals(varz.path("gateway").path("name").asText())) {
            regions.add(name);
          }
        }
      } catch (IOException | RuntimeException e) {
        allAnswered = false;
        server.put("error", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        allAnswered = false;
        server.put("error", "interrupted");
      }
    }
    boolean connected = allAnswered;
    for (JsonNode server : servers) {
      for (String region : regions) {
        boolean has = false;
        for (JsonNode o : server.path("outbound")) {
          has |= o.asText().equals(region);
        }
        connected &= has;
      }
    }
    out.put("connected", connected);
    ArrayNode names = out.putArray("regions");
    regions.forEach(names::add);
    return out;
  }

  /** The other regions the servers name in their gateway configuration or connections. */
  static Set<String> regions(ObjectNode report) {
    Set<String> out = new TreeSet<>();
    report.path("regions").forEach(r -> out.add(r.asText()));
    return out;
  }

  private JsonNode get(String base, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(strip(base) + path))
        .timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(path + " answered HTTP " + r.statusCode());
    }
    return JSON.readTree(r.body());
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}

package dev.tern.regions.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.regions.RegionConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * {@code ./tern where <user>}: asks a running region's {@code /admin/where} (region-a first, then
 * region-b) and prints where the user is connected and when last seen.
 */
final class Where {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Where() {}

  /** Returns the exit status: 0 answered, 1 no region answered. */
  static int print(Layout layout, String user, PrintStream out, PrintStream err)
      throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String last = "no region configured";
    for (String region : Federation.REGIONS) {
      RegionConfig c = RegionConfig.load(layout.regionConfig(region), Map.of());
      URI uri = URI.create("http://" + c.http().host() + ":" + c.http().port()
          + "/admin/where?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8));
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200) {
          last = region + " answered HTTP " + r.statusCode() + ": "
              + body.path("error").asText(r.body());
          continue;
        }
        out.print(render(body, region));
        return 0;
      } catch (IOException e) {
        last = region + " (" + uri.getHost() + ":" + uri.getPort() + ") is not reachable: " + e;
      }
    }
    err.println("tern: " + last + " (is the federation up? ./tern status)");
    return 1;
  }

  /** The answer of {@code /admin/where} as lines for a terminal. */
  static String render(JsonNode body, String askedRegion) {
    StringBuilder sb = new StringBuilder();
    String user = body.path("user").asText();
    if (body.path("online").asBoolean()) {
      sb.append(user).append(": online in ");
      body.path("regions").forEach(r -> sb.append(r.asText()).append(' '));
      sb.setLength(sb.length() - 1);
      sb.append('\n');
      sb.append(String.format("  %-20s %-10s %-32s %s%n", "RESOURCE", "REGION", "EDGE", "SINCE"));
      for (JsonNode r : body.path("resources")) {
        sb.append(String.format("  %-20s %-10s %-32s %s%n", r.path("resource").asText(),
            r.path("region").asText(), r.path("edge").asText(), r.path("since").asText()));
      }
    } else {
      sb.append(user).append(": offline\n");
    }
    JsonNode seen = body.path("lastSeen");
    sb.append("  last seen: ").append(seen.isNull() || seen.isMissingNode() ? "never (by the directory)"
        : seen.asText()).append('\n');
    sb.append("  (asked ").append(askedRegion).append("'s /admin/where)\n");
    return sb.toString();
  }
}

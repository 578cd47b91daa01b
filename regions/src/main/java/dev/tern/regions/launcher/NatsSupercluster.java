package dev.tern.regions.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A NATS supercluster: one cluster of three servers per region, the clusters joined by gateways,
 * JetStream on file storage with {@code sync_interval: always} (the default fsyncs only every two
 * minutes and loses acknowledged messages on a crash).
 *
 * <p>Ports of server {@code i} (1..3) of region number {@code r} (1, 2): client {@code 144ri},
 * route {@code 154ri}, gateway {@code 164ri}, monitoring {@code 164(4+r)i}.
 */
final class NatsSupercluster implements Component {

  static final String HOST = "127.0.0.1";
  static final int SERVERS_PER_REGION = 3;

  /** One server: region, its number (1-based) and the region's number. */
  record Server(String region, int regionNumber, int index) {
    String member() {
      return "nats-" + region.substring(region.lastIndexOf('-') + 1) + index;
    }

    int clientPort() {
      return 14400 + regionNumber * 10 + index;
    }

    int routePort() {
      return 15400 + regionNumber * 10 + index;
    }

    int gatewayPort() {
      return 16400 + regionNumber * 10 + index;
    }

    int monitorPort() {
      return 16440 + regionNumber * 10 + index;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final List<String> regions;

  NatsSupercluster(List<String> regions) {
    this.regions = List.copyOf(regions);
  }

  List<Server> servers() {
    List<Server> out = new ArrayList<>();
    for (int r = 0; r < regions.size(); r++) {
      for (int i = 1; i <= SERVERS_PER_REGION; i++) {
        out.add(new Server(regions.get(r), r + 1, i));
      }
    }
    return out;
  }

  List<Server> servers(String region) {
    return servers().stream().filter(s -> s.region().equals(region)).toList();
  }

  @Override
  public String name() {
    return "nats";
  }

  @Override
  public List<Member> members() {
    return servers().stream().map(s -> new Member(s.member(), List.of(
            new Endpoint(HOST, s.clientPort(), "client"),
            new Endpoint(HOST, s.routePort(), "route"),
            new Endpoint(HOST, s.gatewayPort(), "gateway"),
            new Endpoint(HOST, s.monitorPort(), "monitoring"))))
        .toList();
  }

  @Override
  public void start(Layout layout) throws IOException {
    Path binary = layout.dist().resolve("nats").resolve("nats-server");
    if (!Files.isExecutable(binary)) {
      throw new IOException("nats-server is missing at " + binary + " (./tern up fetches it)");
    }
    for (Server s : servers()) {
      Path conf = layout.conf(s.member() + ".conf");
      Files.createDirectories(conf.getParent());
      Files.writeString(conf, config(s, layout.data(s.member())));
      Processes.spawn(layout, s.member(), List.of(binary.toString(), "-c", conf.toString()),
          Map.of(), layout.data(s.member()));
    }
  }

  /** The server rejoins its cluster and gateways; JetStream recovers from its store. */
  @Override
  public void startMember(Layout layout, String member) throws IOException {
    Path binary = layout.dist().resolve("nats").resolve("nats-server");
    Processes.spawn(layout, member, List.of(binary.toString(), "-c",
        layout.conf(member + ".conf").toString()), Map.of(), layout.data(member));
  }

  String config(Server s, Path dir) {
    String routes = servers(s.region()).stream()
        .map(o -> "nats-route://" + HOST + ":" + o.routePort())
        .collect(Collectors.joining(", "));
    String gateways = regions.stream().map(region -> "    { name: \"" + region + "\", urls: ["
            + servers(region).stream().map(o -> "\"nats://" + HOST + ":" + o.gatewayPort() + "\"")
                .collect(Collectors.joining(", ")) + "] }")
        .collect(Collectors.joining("\n"));
    return """
        # Written by ./tern for the local federation.
        server_name: %s
        listen: %s:%d
        http: %s:%d
        cluster {
          name: %s
          listen: %s:%d
          routes: [ %s ]
        }
        gateway {
          name: %s
          listen: %s:%d
          gateways: [
        %s
          ]
        }
        jetstream {
          store_dir: "%s"
          max_memory_store: 64MB
          max_file_store: 1GB
          # fsync every write before acknowledging it (the default waits up to 2 minutes)
          sync_interval: always
        }
        """.formatted(s.member(), HOST, s.clientPort(), HOST, s.monitorPort(),
        s.region(), HOST, s.routePort(), routes,
        s.region(), HOST, s.gatewayPort(), gateways,
        dir.resolve("jetstream"));
  }

  /**
   * Ready: every server's {@code /healthz} is ok, each has an outbound gateway to every other
   * region, and JetStream has a meta leader.
   */
  @Override
  public void awaitReady(Layout layout, Duration timeout)
      throws LaunchException, InterruptedException, IOException {
    Readiness.await(layout, this, timeout, () -> {
      for (Server s : servers()) {
        JsonNode health = get(s, "/healthz");
        if (health == null || !"ok".equals(health.path("status").asText())) {
          return Optional.of("/healthz of " + s.member());
        }
        // Routes to every peer of its cluster: a restarted member answers /healthz before its
        // routes re-form, and until then core messages between its clients and the other
        // servers' are dropped.
        Set<String> routed = new HashSet<>();
        get(s, "/routez").path("routes").findValues("remote_name")
            .forEach(n -> routed.add(n.asText()));
        for (Server peer : servers(s.region())) {
          if (!peer.equals(s) && !routed.contains(peer.member())) {
            return Optional.of("route " + s.member() + " -> " + peer.member());
          }
        }
        JsonNode gateways = get(s, "/gatewayz");
        for (String region : regions) {
          if (!region.equals(s.region())
              && gateways.path("outbound_gateways").path(region).isMissingNode()) {
            return Optional.of("gateway " + s.member() + " -> " + region);
          }
        }
        JsonNode jsz = get(s, "/jsz");
        if (jsz.path("meta_cluster").path("leader").asText("").isEmpty()) {
          return Optional.of("JetStream meta leader seen by " + s.member());
        }
      }
      return Optional.empty();
    });
  }

  JsonNode get(Server s, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://" + HOST + ":" + s.monitorPort() + path))
            .timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }
}

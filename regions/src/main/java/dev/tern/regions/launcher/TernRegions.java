package dev.tern.regions.launcher;

import dev.tern.regions.RegionConfig;
import dev.tern.regions.RegionMain;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tern itself: one process per region running edge and router (separable by the config's
 * {@code roles}), configured by {@code regions/<region>/tern.yaml}.
 */
final class TernRegions implements Component {

  private final List<String> regions;
  private final List<Member> members;
  private final String classpath;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /** Ports come from each region's config file, so the launcher never disagrees with it. */
  TernRegions(Layout layout, List<String> regions, String classpath) {
    this.regions = List.copyOf(regions);
    this.classpath = classpath;
    this.members = regions.stream().map(r -> {
      RegionConfig c = RegionConfig.load(layout.regionConfig(r), Map.of());
      return new Member(member(r), List.of(
          new Endpoint(c.http().host(), c.http().port(), "HTTP: /health, /metrics, /ws"),
          new Endpoint(c.xmpp().c2s().host(), c.xmpp().c2s().port(), "XMPP STARTTLS"),
          new Endpoint(c.xmpp().directTls().host(), c.xmpp().directTls().port(), "XMPP Direct TLS")));
    }).toList();
  }

  static String member(String region) {
    return "tern-" + region;
  }

  @Override
  public String name() {
    return "tern";
  }

  @Override
  public List<Member> members() {
    return members;
  }

  @Override
  public void start(Layout layout) throws IOException {
    for (String region : regions) {
      spawn(layout, region, member(region), Map.of());
    }
  }

  /**
   * Starts one Tern process of {@code region} as {@code member}, its config overridden by
   * {@code env} (e.g. a second edge with other ports): {@code TERN_*} variables as in the README.
   */
  void spawn(Layout layout, String region, String member, Map<String, String> env)
      throws IOException {
      List<String> cmd = new java.util.ArrayList<>(JavaCommand.java(
          "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-Xss512k", "-XX:-UsePerfData",
          // An edge holds many long-lived idle connections: keep the heap close to what is live
          // after a collection, and give back the native memory TLS handshakes freed (glibc keeps
          // it otherwise). docs/operator-guide.md, "Memory".
          "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:-ShrinkHeapInSteps",
          // A fixed young generation: its size should follow the allocation rate (stanzas in
          // flight), not the idle connections, which the serial collector's default (a third of
          // the heap) would make it grow with.
          "-Xmn32m",
          "-XX:TrimNativeHeapInterval=60000"));
      // TERN_JAVA_OPTS: extra JVM options for the Tern processes (later ones win, e.g. -Xmx2g).
      String extra = System.getenv().getOrDefault("TERN_JAVA_OPTS", "").strip();
      if (!extra.isEmpty()) {
        cmd.addAll(List.of(extra.split("\\s+")));
      }
      // The product's logging, also when the classpath is a test run's (with its logback-test).
      cmd.addAll(List.of("-Dlogback.configurationFile=logback.xml",
          "-Dtern.root=" + layout.root(), "-Dtern.home=" + layout.home(),
          "-cp", classpath, RegionMain.class.getName(),
          "--config", layout.regionConfig(region).toString()));
      Map<String, String> environment = new java.util.HashMap<>();
      // The region's processes share one data directory: one certificate for the domain.
      environment.put("TERN_DATA_DIR", layout.data(member(region)).toString());
      environment.putAll(env);
      Processes.spawn(layout, member, cmd, environment, layout.data(member));
  }

  /** Ready: each region's {@code /health} answers 200 (every dependency UP). */
  @Override
  public void awaitReady(Layout layout, Duration timeout)
      throws LaunchException, InterruptedException, IOException {
    awaitHealthy(layout, name(), members, timeout);
  }

  /** Ready: each member's {@code /health} (its first endpoint) answers 200. */
  void awaitHealthy(Layout layout, String name, List<Member> processes, Duration timeout)
      throws LaunchException, InterruptedException {
    Readiness.await(layout, name, processes, timeout, () -> {
      for (Member m : processes) {
        Endpoint e = m.endpoints().get(0);
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                  URI.create("http://" + e.host() + ":" + e.port() + "/health"))
                  .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            return Optional.of(m.name() + " /health: " + r.body().replaceAll("\\s+", " "));
          }
        } catch (IOException ex) {
          return Optional.of(m.name() + " to serve HTTP on " + e);
        }
      }
      return Optional.empty();
    });
  }
}

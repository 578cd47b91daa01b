package dev.tern.regions.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An S3-compatible object store per region for media: s3proxy from Maven Central over a local
 * folder, on {@code 127.0.0.1:<region HTTP port + 10>} (5290, 6290).
 */
final class S3Stores implements Component {

  static final String HOST = "127.0.0.1";

  /** One store: its region and port. */
  record Store(String region, int port) {
    String member() {
      return "s3-" + region;
    }
  }

  private final List<Store> stores;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  S3Stores(List<Store> stores) {
    this.stores = List.copyOf(stores);
  }

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public List<Member> members() {
    return stores.stream()
        .map(s -> new Member(s.member(), List.of(new Endpoint(HOST, s.port(), "S3 API"))))
        .toList();
  }

  @Override
  public void start(Layout layout) throws IOException {
    Path lib = layout.dist().resolve("s3proxy").resolve("lib");
    if (!Files.isDirectory(lib)) {
      throw new IOException("s3proxy's jars are missing at " + lib + " (./tern up fetches them)");
    }
    Path logback = layout.conf("s3proxy-logback.xml");
    Files.createDirectories(logback.getParent());
    Files.writeString(logback, """
        <configuration>
          <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
          <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{25} - %msg%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="STDOUT"/></root>
        </configuration>
        """);
    for (Store s : stores) {
      Path dir = layout.data(s.member());
      Path blobs = dir.resolve("blobs");
      Files.createDirectories(blobs);
      Path props = layout.conf(s.member() + ".properties");
      Files.writeString(props, """
          # Written by ./tern for the local federation: loopback only, no authentication.
          s3proxy.endpoint=http://%s:%d
          s3proxy.authorization=none
          jclouds.provider=filesystem
          jclouds.filesystem.basedir=%s
          """.formatted(HOST, s.port(), blobs));
      Processes.spawn(layout, s.member(), JavaCommand.java(
              "-Xms32m", "-Xmx128m", "-XX:+UseSerialGC", "-Xss512k", "-XX:-UsePerfData",
              "-Dlogback.configurationFile=" + logback,
              "-cp", lib + "/*", "org.gaul.s3proxy.Main", "--properties", props.toString()),
          Map.of(), dir);
    }
  }

  /** Ready: each store answers S3's ListBuckets. */
  @Override
  public void awaitReady(Layout layout, Duration timeout)
      throws LaunchException, InterruptedException, IOException {
    Readiness.await(layout, this, timeout, () -> {
      for (Store s : stores) {
        try {
          int status = http.send(HttpRequest.newBuilder(
                  URI.create("http://" + HOST + ":" + s.port() + "/")).timeout(Duration.ofSeconds(2))
                  .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
          if (status != 200) {
            return Optional.of(s.member() + " (HTTP " + status + ")");
          }
        } catch (IOException e) {
          return Optional.of(s.member() + " to listen");
        }
      }
      return Optional.empty();
    });
  }
}

package dev.tern.edge.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs every registered {@link HealthCheck} concurrently, each bounded by a timeout, off the
 * event loop, and renders the result as JSON: HTTP 200 when all are UP, 503 otherwise.
 */
public final class HealthEndpoint implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String region;
  private final Map<String, HealthCheck> checks;
  private final Duration timeout;
  private final ExecutorService executor;

  public HealthEndpoint(String region, Map<String, HealthCheck> checks, Duration timeout) {
    this.region = requireNonNull(region, "region");
    this.checks = new LinkedHashMap<>(requireNonNull(checks, "checks"));
    this.timeout = requireNonNull(timeout, "timeout");
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "tern-health");
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs the checks; never completes exceptionally. */
  public CompletableFuture<HealthReport> report() {
    Map<String, CompletableFuture<HealthReport.Check>> running = new LinkedHashMap<>();
    checks.forEach((name, check) -> running.put(name, CompletableFuture
        .supplyAsync(() -> run(check), executor)
        .completeOnTimeout(new HealthReport.Check(false, timeout.toMillis(),
            "no answer within " + timeout.toMillis() + " ms"), timeout.toMillis(),
            TimeUnit.MILLISECONDS)));
    return CompletableFuture.allOf(running.values().toArray(CompletableFuture[]::new))
        .thenApply(ignored -> {
          Map<String, HealthReport.Check> out = new LinkedHashMap<>();
          running.forEach((name, f) -> out.put(name, f.join()));
          return new HealthReport(region, out);
        });
  }

  private static HealthReport.Check run(HealthCheck check) {
    long start = System.nanoTime();
    try {
      check.check();
      return new HealthReport.Check(true, elapsedMillis(start), null);
    } catch (Exception e) {
      String error = e instanceof TimeoutException ? "timed out" : e.toString();
      return new HealthReport.Check(false, elapsedMillis(start), error);
    }
  }

  private static long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** The report as the JSON body of {@code /health}. */
  public static String toJson(HealthReport report) {
    ObjectNode root = JSON.createObjectNode();
    root.put("status", report.status());
    root.put("region", report.region());
    ObjectNode deps = root.putObject("checks");
    report.checks().forEach((name, c) -> {
      ObjectNode node = deps.putObject(name);
      node.put("status", c.status());
      node.put("millis", c.millis());
      if (c.error() != null) {
        node.put("error", c.error());
      }
    });
    return root.toPrettyString();
  }

  /** {@code GET /health}: 200 with every check UP, 503 otherwise. */
  public HttpRoute route() {
    return new HttpRoute("/health", () -> report().thenApply(r ->
        HttpAnswer.text(r.up() ? 200 : 503, "application/json", toJson(r))));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

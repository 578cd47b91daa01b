package dev.tern.edge.http;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CompletableFuture;

/**
 * The process's Micrometer registry in Prometheus format, tagged with its region, with the JVM
 * and process metrics every Tern process reports.
 */
public final class PrometheusMetrics implements AutoCloseable {

  /** Prometheus text exposition format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;

  private PrometheusMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gcMetrics) {
    this.registry = registry;
    this.gcMetrics = gcMetrics;
  }

  public static PrometheusMetrics create(String region) {
    requireNonNull(region, "region");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("region", region);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    return new PrometheusMetrics(registry, gc);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** {@code GET /metrics}. */
  public HttpRoute route() {
    return new HttpRoute("/metrics", () -> CompletableFuture.completedFuture(
        HttpAnswer.text(200, CONTENT_TYPE, registry.scrape())));
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}

package dev.tern.edge;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.http.HealthCheck;
import dev.tern.router.NatsConnections;
import dev.tern.router.RouterSubjects;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An edge's core: its NATS connection to the region's routers (the queue group of
 * {@link RouterSubjects}). Keeps no durable state.
 */
public final class Edge implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Edge.class);

  private final EdgeConfig config;
  private final Connection nats;

  private Edge(EdgeConfig config, Connection nats) {
    this.config = config;
    this.nats = nats;
  }

  /** Connects to the region's NATS cluster. */
  public static Edge start(EdgeConfig config) throws IOException, InterruptedException {
    requireNonNull(config, "config");
    Connection nats = NatsConnections.connect(
        "tern-edge-" + config.region(), config.natsServers(), config.natsTimeout());
    log.info("edge of {} connected to NATS {}", config.region(), nats.getConnectedUrl());
    return new Edge(config, nats);
  }

  /** {@code nats}: the edge's connection is up; {@code router}: a router of the region answers. */
  public Map<String, HealthCheck> healthChecks() {
    Map<String, HealthCheck> checks = new LinkedHashMap<>();
    checks.put("nats", () -> NatsConnections.requireConnected(nats));
    checks.put("router", () -> pingRouter(config.natsTimeout()));
    return checks;
  }

  /** One request/reply round trip to any router of the region, through its queue group. */
  private void pingRouter(Duration timeout) throws InterruptedException {
    Message reply = nats.request(RouterSubjects.ping(config.region()), new byte[0], timeout);
    if (reply == null) {
      throw new IllegalStateException(
          "no router of " + config.region() + " answered within " + timeout);
    }
  }

  public EdgeConfig config() {
    return config;
  }

  @Override
  public void close() throws InterruptedException {
    nats.close();
  }
}

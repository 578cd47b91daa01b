package dev.tern.edge;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * An edge's settings.
 *
 * @param region the region this edge belongs to
 * @param natsServers the region's NATS cluster, to reach the routers
 * @param natsTimeout connect and request timeout on NATS
 */
public record EdgeConfig(String region, List<String> natsServers, Duration natsTimeout) {

  public EdgeConfig {
    requireNonNull(region, "region");
    natsServers = List.copyOf(requireNonNull(natsServers, "natsServers"));
    requireNonNull(natsTimeout, "natsTimeout");
  }
}

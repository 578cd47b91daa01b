package dev.tern.router;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * A region router's settings.
 *
 * @param region the region this router serves
 * @param natsServers the region's NATS cluster, as {@code nats://host:port} URLs
 * @param natsTimeout connect and request timeout on NATS
 */
public record RouterConfig(String region, List<String> natsServers, Duration natsTimeout) {

  public RouterConfig {
    requireNonNull(region, "region");
    natsServers = List.copyOf(requireNonNull(natsServers, "natsServers"));
    requireNonNull(natsTimeout, "natsTimeout");
    RouterSubjects.prefix(region);
    if (natsServers.isEmpty()) {
      throw new IllegalArgumentException("nats.servers: at least one NATS server is needed");
    }
    for (String url : natsServers) {
      if (!url.startsWith("nats://")) {
        throw new IllegalArgumentException("nats.servers: not a nats:// URL: " + url);
      }
    }
  }
}

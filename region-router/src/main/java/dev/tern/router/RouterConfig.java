package dev.tern.router;

import static java.util.Objects.requireNonNull;

import dev.tern.router.chats.ChatSettings;
import dev.tern.routing.RouterSubjects;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A region router's settings.
 *
 * @param region the region this router serves
 * @param natsServers the region's NATS cluster, as {@code nats://host:port} URLs
 * @param natsTimeout connect and request timeout on NATS
 * @param haltAfterPersist for tests only: an origin-id whose message, once stored, makes the
 *     router halt its JVM before answering (a kill -9 between persist and ack)
 * @param chats how the region's chats are sequenced
 */
public record RouterConfig(String region, List<String> natsServers, Duration natsTimeout,
    Optional<String> haltAfterPersist, ChatSettings chats) {

  public RouterConfig(String region, List<String> natsServers, Duration natsTimeout) {
    this(region, natsServers, natsTimeout, Optional.empty(), ChatSettings.defaults(region));
  }

  public RouterConfig {
    requireNonNull(region, "region");
    natsServers = List.copyOf(requireNonNull(natsServers, "natsServers"));
    requireNonNull(natsTimeout, "natsTimeout");
    requireNonNull(haltAfterPersist, "haltAfterPersist");
    requireNonNull(chats, "chats");
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

package dev.tern.directory.presence;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A resource of a user connected now.
 *
 * @param resource the bound resource
 * @param region where its session is
 * @param edgeId the edge process holding its session
 * @param since when it was bound, by the edge's clock
 */
public record ConnectedResource(String resource, String region, String edgeId, Instant since) {

  public ConnectedResource {
    requireNonNull(resource, "resource");
    requireNonNull(region, "region");
    requireNonNull(edgeId, "edgeId");
    requireNonNull(since, "since");
  }
}

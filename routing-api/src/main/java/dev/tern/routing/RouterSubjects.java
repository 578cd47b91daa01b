package dev.tern.routing;

import static java.util.Objects.requireNonNull;

/**
 * NATS subjects between a region's edges and routers. Everything a region's edges send to its
 * routers stays under {@code tern.<region>.router.}, so a supercluster gateway only carries
 * subjects another region has asked for.
 */
public final class RouterSubjects {

  /** Routers of one region share the work in this queue group. */
  public static final String QUEUE_GROUP = "routers";

  private RouterSubjects() {}

  /** Request/reply liveness probe: any router of the region answers with its id. */
  public static String ping(String region) {
    return prefix(region) + "ping";
  }

  /** {@code tern.<region>.router.}: where every edge → router subject of the region starts. */
  public static String prefix(String region) {
    requireNonNull(region, "region");
    if (!region.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("not a region name: " + region);
    }
    return "tern." + region + ".router.";
  }
}

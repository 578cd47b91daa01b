package dev.tern.routing.mam;

import dev.tern.routing.RouterSubjects;

/**
 * The NATS wire of archive queries: the edge sends an encoded {@link MamRequest} to any router of
 * its region and gets an encoded {@link MamPage}, or a reply whose {@link #ERROR} header names a
 * {@link MamFailure.Reason} (or {@code internal-server-error}).
 */
public final class MamWire {

  /** Reply header naming why a query was refused. */
  public static final String ERROR = "Tern-Mam-Error";

  /** The {@link #ERROR} of a query that failed for another reason than its content. */
  public static final String INTERNAL = "internal-server-error";

  private MamWire() {}

  /** Edge → any router of the region: one archive query (request/reply). */
  public static String query(String region) {
    return RouterSubjects.prefix(region) + "mam";
  }
}

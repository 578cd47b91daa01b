package dev.tern.directory.presence;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An edge that stopped heartbeating without stopping cleanly (killed, or cut off), with the
 * sessions it held then: nobody announced that they went (RFC 6121 §4.5.2), so whoever claims it
 * does ({@link PresenceDirectory#reapDeadEdges}).
 *
 * @param edgeId the edge
 * @param fullJids the full JIDs bound on it when it died
 */
public record DeadEdge(String edgeId, List<String> fullJids) {

  public DeadEdge {
    requireNonNull(edgeId, "edgeId");
    fullJids = List.copyOf(requireNonNull(fullJids, "fullJids"));
  }
}

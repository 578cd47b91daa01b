package dev.tern.directory.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where each user is connected, shared by every region (docs/design/directory.md).
 *
 * <p><b>Liveness by edge, not by user.</b> An entry names the edge that holds its session, and
 * counts only while that edge's {@link #heartbeat} is younger than the edge's TTL. An edge that
 * dies without a word therefore takes all its users' entries with it within one TTL, and a
 * heartbeat costs one write per edge, not one per user. Entries of dead edges are removed
 * lazily, by the next lookup or unregistration of that user, which also records the user's last
 * seen time then (the dead edge's last heartbeat).
 *
 * <p><b>Soft state.</b> Nothing that keeps or delivers a message depends on it; a stage that
 * fails means only that the directory could not be reached.
 */
public interface PresenceDirectory {

  /**
   * The edge {@code edgeId} of {@code region} is alive for {@code ttl} more. An edge heartbeats
   * before it accepts clients and then at least twice per TTL.
   */
  CompletionStage<Void> heartbeat(String edgeId, String region, Duration ttl);

  /**
   * The edge stops cleanly: its entries vanish now instead of one TTL later, and its users are
   * last seen now.
   */
  CompletionStage<Void> edgeStopped(String edgeId);

  /**
   * A session bound a resource: replaces what the same full JID had registered before (a newer
   * session of a resource wins, RFC 6120 §7.7.2.2).
   */
  CompletionStage<Void> register(Registration registration);

  /**
   * The session of {@code registration} ended at {@code at}: its entry is removed unless a newer
   * session (another token) holds the resource now. When it was the user's last resource, the
   * user is last seen {@code at}.
   */
  CompletionStage<Void> unregister(Registration registration, Instant at);

  /**
   * Claims the edges of {@code region} that stopped heartbeating without {@link #edgeStopped},
   * each with the full JIDs of the sessions it held: each dead edge is handed to exactly one
   * caller, once, so that one process announces their unavailability. Edges that are alive are
   * left alone.
   */
  CompletionStage<List<DeadEdge>> reapDeadEdges(String region);

  /** Where the user is connected now (only resources of live edges) and when last seen. */
  CompletionStage<UserLocation> where(String bareJid);
}

package dev.tern.edge.roster;

import dev.tern.edge.iq.IqError;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The edge's side of rosters, presence and last activity: each call asks a router of the region.
 * A router's refusal fails the stage with an {@link IqError} of the condition it named. Over NATS
 * in the product ({@link NatsEdgeRoster}).
 */
public interface EdgeRoster {

  /** XEP-0012's answer: idle seconds and the status of the last unavailable presence. */
  record LastActivityAnswer(long seconds, String status) {}

  /** The roster of the user {@code fullJid} belongs to. */
  CompletionStage<List<RosterItem>> get(String fullJid);

  /**
   * Adds or updates an item (name and groups); {@code claimed} is the subscription the client
   * sent, which must be the stored one (RFC 6121 §2.1.2.5: the server owns it).
   */
  CompletionStage<Void> set(String fullJid, RosterItem item, Optional<Subscription> claimed);

  /** Removes the item for {@code contact}, cancelling the subscriptions both ways. */
  CompletionStage<Void> remove(String fullJid, String contact);

  /** Broadcasts a presence of {@code fullJid}; {@code op} is one of RosterWire's presence ops. */
  CompletionStage<Void> presence(String fullJid, String op, String xml, String status);

  /**
   * Waits, at most {@code limit}, until no presence broadcast waits for a router's answer. An
   * edge that stops closes its sessions, and each announces that it went; those requests must be
   * answered, so carried out, before the edge's connection to the routers closes, and in a
   * region's own process before its router does. Returns whether they were.
   */
  boolean settle(Duration limit) throws InterruptedException;

  /** Presence broadcasts not answered yet. */
  int presenceInFlight();

  /** A subscription stanza ({@code type}) from one user's bare JID to another's. */
  CompletionStage<Void> subscription(String fromBare, String toBare, String type, String xml);

  /** XEP-0012 last activity of {@code contactBare}, asked by {@code requesterBare}. */
  CompletionStage<LastActivityAnswer> last(String requesterBare, String contactBare);
}

package dev.tern.edge.roster;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.IqError;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.routing.MessageWire;
import dev.tern.routing.roster.RosterWire;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.Subscription;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The edge's side of rosters, presence and last activity over NATS: each call is one request to
 * any router of the region ({@link RosterWire}). A router's refusal fails the stage with an
 * {@link IqError} of the condition it named.
 */
public final class EdgeRoster {

  /** XEP-0012's answer: idle seconds and the status of the last unavailable presence. */
  public record LastActivityAnswer(long seconds, String status) {}

  private final Connection nats;
  private final String region;
  private final Duration timeout;
  /** Presence broadcasts sent to a router and not answered yet (see {@link #settle}). */
  private final AtomicInteger presenceInFlight = new AtomicInteger();

  public EdgeRoster(Connection nats, String region, Duration timeout) {
    this.nats = requireNonNull(nats, "nats");
    this.region = requireNonNull(region, "region");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  /** The roster of the user {@code fullJid} belongs to. */
  public CompletionStage<List<RosterItem>> get(String fullJid) {
    return request(RosterWire.roster(region), new Headers().add(MessageWire.FROM, fullJid)
        .add(RosterWire.OP, RosterWire.GET), new byte[0])
        .thenApply(reply -> RosterWire.decodeItems(reply.getData()));
  }

  /**
   * Adds or updates an item (name and groups); {@code claimed} is the subscription the client
   * sent, which must be the stored one (RFC 6121 §2.1.2.5: the server owns it).
   */
  public CompletionStage<Void> set(String fullJid, RosterItem item, Optional<Subscription> claimed) {
    Headers h = new Headers().add(MessageWire.FROM, fullJid).add(RosterWire.OP, RosterWire.SET);
    claimed.ifPresent(s -> h.add(RosterWire.CLAIMED_SUBSCRIPTION, s.attribute()));
    return request(RosterWire.roster(region), h, RosterWire.encodeItems(List.of(item)))
        .thenApply(reply -> null);
  }

  /** Removes the item for {@code contact}, cancelling the subscriptions both ways. */
  public CompletionStage<Void> remove(String fullJid, String contact) {
    return request(RosterWire.roster(region), new Headers().add(MessageWire.FROM, fullJid)
            .add(RosterWire.OP, RosterWire.REMOVE),
        RosterWire.encodeItems(List.of(RosterItem.of(contact))))
        .thenApply(reply -> null);
  }

  /** Broadcasts a presence of {@code fullJid}; {@code op} is one of RosterWire's presence ops. */
  public CompletionStage<Void> presence(String fullJid, String op, String xml, String status) {
    presenceInFlight.incrementAndGet();
    return request(RosterWire.presence(region), new Headers().add(MessageWire.FROM, fullJid)
            .add(RosterWire.OP, op),
        RosterWire.encodePresence(new RosterWire.PresencePayload(xml, status)))
        .whenComplete((reply, error) -> presenceInFlight.decrementAndGet())
        .thenApply(reply -> null);
  }

  /**
   * Waits, at most {@code limit}, until no presence broadcast has waited for a router's answer
   * for a moment (three looks 20 ms apart: a session's next presence leaves when the one before
   * is answered). An edge that stops closes its sessions, and each announces that it went; those
   * requests must be answered, so carried out, before the edge's NATS connection closes, and in a
   * region's own process before its router does. Returns whether they were.
   */
  public boolean settle(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    int quiet = 0;
    while (quiet < 3) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      quiet = presenceInFlight.get() == 0 ? quiet + 1 : 0;
      Thread.sleep(20);
    }
    return true;
  }

  /** Presence broadcasts not answered yet. */
  public int presenceInFlight() {
    return presenceInFlight.get();
  }

  /** A subscription stanza ({@code type}) from one user's bare JID to another's. */
  public CompletionStage<Void> subscription(String fromBare, String toBare, String type, String xml) {
    return request(RosterWire.subscription(region), new Headers().add(MessageWire.FROM, fromBare)
            .add(MessageWire.TO, toBare).add(RosterWire.OP, type),
        xml.getBytes(StandardCharsets.UTF_8))
        .thenApply(reply -> null);
  }

  /** XEP-0012 last activity of {@code contactBare}, asked by {@code requesterBare}. */
  public CompletionStage<LastActivityAnswer> last(String requesterBare, String contactBare) {
    return request(RosterWire.last(region), new Headers().add(MessageWire.FROM, requesterBare)
        .add(MessageWire.TO, contactBare), new byte[0])
        .thenApply(reply -> new LastActivityAnswer(
            Long.parseLong(reply.getHeaders().getFirst(RosterWire.SECONDS)),
            new String(reply.getData(), StandardCharsets.UTF_8)));
  }

  private CompletionStage<Message> request(String subject, Headers headers, byte[] data) {
    return nats.requestWithTimeout(NatsMessage.builder().subject(subject).headers(headers)
            .data(data).build(), timeout)
        .thenApply(reply -> {
          Headers h = reply.getHeaders();
          String error = h == null ? null : h.getFirst(MessageWire.ERROR);
          if (error != null) {
            throw new IqError(StanzaErrorCondition.fromElementName(error)
                .orElse(StanzaErrorCondition.INTERNAL_SERVER_ERROR), "");
          }
          return reply;
        });
  }
}

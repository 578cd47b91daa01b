package dev.tern.edge.roster;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.IqError;
import dev.tern.routing.WireText;
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
 * {@link EdgeRoster} over NATS: each call is one request to any router of the region
 * ({@link RosterWire}). A router's refusal fails the stage with an {@link IqError} of the
 * condition it named.
 */
public final class NatsEdgeRoster implements EdgeRoster {

  private final Connection nats;
  private final String region;
  private final Duration timeout;
  /** Presence broadcasts sent to a router and not answered yet (see {@link #settle}). */
  private final AtomicInteger presenceInFlight = new AtomicInteger();

  public NatsEdgeRoster(Connection nats, String region, Duration timeout) {
    this.nats = requireNonNull(nats, "nats");
    this.region = requireNonNull(region, "region");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  @Override
  public CompletionStage<List<RosterItem>> get(String fullJid) {
    return request(RosterWire.roster(region), new Headers()
        .add(MessageWire.FROM, WireText.encode(fullJid))
        .add(RosterWire.OP, RosterWire.GET), new byte[0])
        .thenApply(reply -> RosterWire.decodeItems(reply.getData()));
  }

  @Override
  public CompletionStage<Void> set(String fullJid, RosterItem item, Optional<Subscription> claimed) {
    Headers h = new Headers().add(MessageWire.FROM, WireText.encode(fullJid))
        .add(RosterWire.OP, RosterWire.SET);
    claimed.ifPresent(s -> h.add(RosterWire.CLAIMED_SUBSCRIPTION, WireText.encode(s.attribute())));
    return request(RosterWire.roster(region), h, RosterWire.encodeItems(List.of(item)))
        .thenApply(reply -> null);
  }

  @Override
  public CompletionStage<Void> remove(String fullJid, String contact) {
    return request(RosterWire.roster(region), new Headers()
            .add(MessageWire.FROM, WireText.encode(fullJid))
            .add(RosterWire.OP, RosterWire.REMOVE),
        RosterWire.encodeItems(List.of(RosterItem.of(contact))))
        .thenApply(reply -> null);
  }

  @Override
  public CompletionStage<Void> presence(String fullJid, String op, String xml, String status) {
    presenceInFlight.incrementAndGet();
    return request(RosterWire.presence(region), new Headers()
            .add(MessageWire.FROM, WireText.encode(fullJid))
            .add(RosterWire.OP, WireText.encode(op)),
        RosterWire.encodePresence(new RosterWire.PresencePayload(xml, status)))
        .whenComplete((reply, error) -> presenceInFlight.decrementAndGet())
        .thenApply(reply -> null);
  }

  /**
   * No presence broadcast has waited for a router's answer for a moment: three looks 20 ms
   * apart, since a session's next presence leaves when the one before is answered.
   */
  @Override
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

  @Override
  public int presenceInFlight() {
    return presenceInFlight.get();
  }

  @Override
  public CompletionStage<Void> subscription(String fromBare, String toBare, String type, String xml) {
    return request(RosterWire.subscription(region), new Headers()
            .add(MessageWire.FROM, WireText.encode(fromBare))
            .add(MessageWire.TO, WireText.encode(toBare)).add(RosterWire.OP, WireText.encode(type)),
        xml.getBytes(StandardCharsets.UTF_8))
        .thenApply(reply -> null);
  }

  @Override
  public CompletionStage<LastActivityAnswer> last(String requesterBare, String contactBare) {
    return request(RosterWire.last(region), new Headers()
        .add(MessageWire.FROM, WireText.encode(requesterBare))
        .add(MessageWire.TO, WireText.encode(contactBare)), new byte[0])
        .thenApply(reply -> new LastActivityAnswer(
            Long.parseLong(WireText.header(reply.getHeaders(), RosterWire.SECONDS)),
            new String(reply.getData(), StandardCharsets.UTF_8)));
  }

  private CompletionStage<Message> request(String subject, Headers headers, byte[] data) {
    return nats.requestWithTimeout(NatsMessage.builder().subject(subject).headers(headers)
            .data(data).build(), timeout)
        .thenApply(reply -> {
          Headers h = reply.getHeaders();
          String error = h == null ? null : WireText.header(h, MessageWire.ERROR);
          if (error != null) {
            throw new IqError(StanzaErrorCondition.fromElementName(error)
                .orElse(StanzaErrorCondition.INTERNAL_SERVER_ERROR), "");
          }
          return reply;
        });
  }
}

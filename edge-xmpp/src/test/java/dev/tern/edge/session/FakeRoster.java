package dev.tern.edge.session;

import dev.tern.edge.roster.EdgeRoster;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The routers' side of rosters and presence, in memory: every roster is empty, every request
 * succeeds at once, and presence broadcasts and subscription stanzas are recorded in order.
 */
public final class FakeRoster implements EdgeRoster {

  /** A presence broadcast a session asked for ({@link EdgeRoster#presence}). */
  public record Presence(String fullJid, String op, String xml, String status) {}

  /** A subscription stanza a session handed over ({@link EdgeRoster#subscription}). */
  public record SubscriptionStanza(String fromBare, String toBare, String type, String xml) {}

  private final List<Presence> presences = new ArrayList<>();
  private final List<SubscriptionStanza> subscriptions = new ArrayList<>();

  public List<Presence> presences() {
    return List.copyOf(presences);
  }

  public List<SubscriptionStanza> subscriptions() {
    return List.copyOf(subscriptions);
  }

  @Override
  public CompletionStage<List<RosterItem>> get(String fullJid) {
    return CompletableFuture.completedFuture(List.of());
  }

  @Override
  public CompletionStage<Void> set(String fullJid, RosterItem item, Optional<Subscription> claimed) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> remove(String fullJid, String contact) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> presence(String fullJid, String op, String xml, String status) {
    presences.add(new Presence(fullJid, op, xml, status));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public boolean settle(Duration limit) {
    return true;
  }

  @Override
  public int presenceInFlight() {
    return 0;
  }

  @Override
  public CompletionStage<Void> subscription(String fromBare, String toBare, String type,
      String xml) {
    subscriptions.add(new SubscriptionStanza(fromBare, toBare, type, xml));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<LastActivityAnswer> last(String requesterBare, String contactBare) {
    return CompletableFuture.completedFuture(new LastActivityAnswer(0, ""));
  }
}

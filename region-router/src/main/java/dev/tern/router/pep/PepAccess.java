package dev.tern.router.pep;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.pep.AccessModel;
import dev.tern.storage.pep.NodeConfig;
import dev.tern.storage.roster.RosterStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Who may read a node's items (XEP-0060 §4.5 as XEP-0163 §4.1 profiles it). */
final class PepAccess {

  private final RosterStore rosters;

  PepAccess(RosterStore rosters) {
    this.rosters = requireNonNull(rosters, "rosters");
  }

  /**
   * Completes if {@code requester} (a bare JID) may read {@code owner}'s node: the owner always;
   * anyone for {@code open}; for {@code presence} a contact with a subscription to the owner's
   * presence, else not-authorized (§6.5.9.3); for {@code whitelist} nobody else, not-allowed
   * (§6.5.9.5).
   */
  CompletionStage<Void> mayRead(NodeConfig config, String owner, String requester) {
    if (requester.equals(owner) || config.access() == AccessModel.OPEN) {
      return CompletableFuture.completedFuture(null);
    }
    if (config.access() == AccessModel.WHITELIST) {
      return CompletableFuture.failedFuture(PepRefused.of("not-allowed", "cancel", "closed-node"));
    }
    return rosters.item(owner, requester).thenAccept(item -> {
      if (item.isEmpty() || !item.get().subscription().hasFrom()) {
        throw PepRefused.of("not-authorized", "auth", "presence-subscription-required");
      }
    });
  }
}

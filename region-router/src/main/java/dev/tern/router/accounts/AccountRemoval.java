package dev.tern.router.accounts;

import static java.util.Objects.requireNonNull;

import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.RouterSubjects;
import dev.tern.routing.WireText;
import dev.tern.routing.accounts.AccountWire;
import dev.tern.storage.accounts.AccountStore;
import dev.tern.storage.blocking.BlockListStore;
import dev.tern.storage.messages.UnreadQueue;
import dev.tern.storage.pep.PepStore;
import dev.tern.storage.vcard.VCardStore;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0077 §3.2 on the router: removes an account and what it owns. The account goes first, so
 * no new session can open and no new message is accepted for it; then its roster, each contact
 * told as if the user had removed it (RFC 6121 §2.5.3: its subscriptions are cancelled both ways
 * and its roster follows), and pending subscription requests, its unread queue, its block list, its vCard (XEP-0054) and its PEP nodes
 * (XEP-0163), so that an account registered later under the same name inherits none of them;
 * then the edge is answered. The edge, once it has answered its client, announces the removal on
 * {@link AccountWire#REMOVED}, where every edge closes the account's sessions and every router
 * forgets it existed. Messages it exchanged stay in the chats (the other party's history) and
 * expire with the region's retention; its archive is not shown to an
 * account registered later under the same name, which only sees what was stored after it was
 * created. A removal that fails half way may be asked again: each step removes what is left.
 */
public final class AccountRemoval {

  private static final Logger log = LoggerFactory.getLogger(AccountRemoval.class);
  /** How many unread entries are read and removed at a time. */
  private static final int UNREAD_PAGE = 500;

  private final Connection nats;
  private final AccountStore accounts;
  private final Function<String, CompletionStage<Void>> rosterRemoval;
  private final UnreadQueue unread;
  private final BlockListStore blockLists;
  private final VCardStore vcards;
  private final PepStore pep;
  private final KnownAccounts known;

  /**
   * @param rosterRemoval removes a user's roster telling each contact, whose roster follows
   *     (RFC 6121 §2.5.3; {@code RosterRouter.removeAll})
   */
  public AccountRemoval(Connection nats, AccountStore accounts,
      Function<String, CompletionStage<Void>> rosterRemoval, UnreadQueue unread,
      BlockListStore blockLists, VCardStore vcards, PepStore pep, KnownAccounts known) {
    this.nats = requireNonNull(nats, "nats");
    this.accounts = requireNonNull(accounts, "accounts");
    this.rosterRemoval = requireNonNull(rosterRemoval, "rosterRemoval");
    this.unread = requireNonNull(unread, "unread");
    this.blockLists = requireNonNull(blockLists, "blockLists");
    this.vcards = requireNonNull(vcards, "vcards");
    this.pep = requireNonNull(pep, "pep");
    this.known = requireNonNull(known, "known");
  }

  public void subscribe(Dispatcher dispatcher, String region) {
    dispatcher.subscribe(AccountWire.remove(region), RouterSubjects.QUEUE_GROUP, this::onRemove);
    // Every router, in every region (no queue group).
    dispatcher.subscribe(AccountWire.REMOVED,
        m -> KnownAccounts.usernameOf(WireText.header(m.getHeaders(), MessageWire.USER))
            .ifPresent(known::forget));
  }

  void onRemove(Message request) {
    String user = WireText.header(request.getHeaders(), MessageWire.USER);
    var username = KnownAccounts.usernameOf(user);
    if (username.isEmpty()) {
      reply(request, Refusal.of("bad-request", "modify").toHeaders());
      return;
    }
    accounts.delete(username.get())
        .thenCompose(v -> {
          known.forget(username.get());
          return rosterRemoval.apply(user);
        })
        .thenCompose(v -> removeUnread(user))
        .thenCompose(v -> blockLists.unblockAll(user))
        .thenCompose(v -> vcards.delete(user))
        .thenCompose(v -> pep.nodes(user))
        .thenCompose(nodes -> all(nodes.keySet().stream()
            .map(node -> pep.delete(user, node).thenApply(found -> (Void) null)).toList()))
        .whenComplete((v, error) -> {
          if (error != null) {
            log.warn("removal of account {} not finished; it may be asked again", user, error);
            reply(request, Refusal.INTERNAL_SERVER_ERROR.toHeaders());
            return;
          }
          log.info("account {} removed", user);
          reply(request, new Headers());
        });
  }

  /** Empties the unread queue a page at a time. */
  private CompletionStage<Void> removeUnread(String user) {
    return unread.peek(user, UNREAD_PAGE).thenCompose(page -> page.isEmpty()
        ? CompletableFuture.completedFuture(null)
        : all(page.stream().map(m -> unread.remove(user, m.chat(), m.seq())).toList())
            .thenCompose(v -> removeUnread(user)));
  }

  private static CompletionStage<Void> all(List<CompletionStage<Void>> steps) {
    return CompletableFuture.allOf(steps.stream().map(CompletionStage::toCompletableFuture)
        .toArray(CompletableFuture[]::new));
  }

  private void reply(Message request, Headers headers) {
    if (request.getReplyTo() != null) {
      nats.publish(NatsMessage.builder().subject(request.getReplyTo()).headers(headers)
          .data(new byte[0]).build());
    }
  }

}

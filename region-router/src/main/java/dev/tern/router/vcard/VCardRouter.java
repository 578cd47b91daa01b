package dev.tern.router.vcard;

import static java.util.Objects.requireNonNull;

import dev.tern.router.accounts.KnownAccounts;
import dev.tern.router.blocking.BlockLists;
import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.RouterSubjects;
import dev.tern.routing.WireText;
import dev.tern.routing.vcard.VCardWire;
import dev.tern.storage.vcard.StoredVCard;
import dev.tern.storage.vcard.VCardStore;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's part of XEP-0054: reads and sets vCards for the edges, which answer the IQs. A
 * user sets only its own vCard; anyone may read another's (vCards are public, §3.1), unless
 * blocking forbids it: the requester gets the error XEP-0191 §3.3 prescribes for an IQ between
 * the two, the same the edges' IQ checks get ({@link BlockLists#verdict}). The vCard of an account
 * that does not exist is service-unavailable (RFC 6121 §8.5.1), so that reading vCards tells no
 * more about who has an account than an IQ to the account does.
 */
public final class VCardRouter {

  private static final Logger log = LoggerFactory.getLogger(VCardRouter.class);

  private final Connection nats;
  private final VCardStore store;
  private final BlockLists lists;
  private final KnownAccounts accounts;
  private final Clock clock;

  public VCardRouter(Connection nats, VCardStore store, BlockLists lists, KnownAccounts accounts,
      Clock clock) {
    this.nats = requireNonNull(nats, "nats");
    this.store = requireNonNull(store, "store");
    this.lists = requireNonNull(lists, "lists");
    this.accounts = requireNonNull(accounts, "accounts");
    this.clock = requireNonNull(clock, "clock");
  }

  public void subscribe(Dispatcher dispatcher, String region) {
    dispatcher.subscribe(VCardWire.vcards(region), RouterSubjects.QUEUE_GROUP, this::onRequest);
  }

  void onRequest(Message request) {
    String op = WireText.header(request.getHeaders(), VCardWire.OP);
    Optional<Jid> from = jid(request, MessageWire.FROM);
    Optional<Jid> owner = jid(request, MessageWire.USER).filter(j -> j.local().isPresent()
        && j.resource().isEmpty());
    if (from.isEmpty() || owner.isEmpty()) {
      reply(request, Refusal.of("bad-request", "modify"), null);
      return;
    }
    String user = owner.get().toString();
    boolean own = from.get().bare().equals(owner.get());
    CompletionStage<@Nullable String> done = switch (op == null ? "" : op) {
      case VCardWire.GET -> (own ? CompletableFuture.<Optional<Refusal>>completedFuture(
          Optional.empty()) : refusal(from.get(), owner.get()))
          .thenCompose(refused -> {
            if (refused.isPresent()) {
              throw new RefusedException(refused.get());
            }
            return store.find(user);
          })
          .thenApply(found -> found.map(StoredVCard::xml).orElse(""));
      case VCardWire.SET -> set(own, user, request.getData());
      default -> CompletableFuture.failedFuture(
          new RefusedException(Refusal.of("bad-request", "modify")));
    };
    done.whenComplete((xml, error) -> {
      if (error != null) {
        reply(request, refusal(error, "vCard " + op + " of " + user), null);
      } else {
        reply(request, null, xml);
      }
    });
  }

  private CompletionStage<@Nullable String> set(boolean own, String user, byte @Nullable [] data) {
    if (!own) { // XEP-0054 §3.2: a user sets its own vCard only
      return CompletableFuture.failedFuture(new RefusedException(Refusal.of("forbidden", "auth")));
    }
    if (data == null || data.length == 0) {
      return CompletableFuture.failedFuture(
          new RefusedException(Refusal.of("bad-request", "modify")));
    }
    if (data.length > VCardWire.MAX_BYTES) {
      return CompletableFuture.failedFuture(
          new RefusedException(Refusal.of("not-acceptable", "modify")));
    }
    return store.put(user, new String(data, StandardCharsets.UTF_8), clock.instant())
        .thenApply(v -> null);
  }

  /** Why {@code from} may not read {@code owner}'s vCard, if it may not. */
  private CompletionStage<Optional<Refusal>> refusal(Jid from, Jid owner) {
    return accounts.exists(owner.local().orElseThrow()).thenCompose(exists -> exists
        ? lists.verdict(from.toString(), owner.toString()).thenApply(v -> v.refusal())
        : CompletableFuture.completedFuture(
            Optional.of(Refusal.of("service-unavailable", "cancel"))));
  }

  private static Optional<Jid> jid(Message request, String header) {
    String value = WireText.header(request.getHeaders(), header);
    try {
      return value == null ? Optional.empty() : Optional.of(Jid.parse(value));
    } catch (JidMalformedException e) {
      return Optional.empty();
    }
  }

  private static Refusal refusal(Throwable error, String what) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof RefusedException r) {
      return r.refusal;
    }
    log.warn("{} failed", what, cause);
    return Refusal.INTERNAL_SERVER_ERROR;
  }

  private void reply(Message request, @Nullable Refusal refusal, @Nullable String xml) {
    if (request.getReplyTo() == null) {
      return;
    }
    NatsMessage.Builder b = NatsMessage.builder().subject(request.getReplyTo())
        .data(xml == null ? new byte[0] : xml.getBytes(StandardCharsets.UTF_8));
    if (refusal != null) {
      b.headers(refusal.toHeaders());
    }
    nats.publish(b.build());
  }

  /** A request refused with a stanza error rather than failed. */
  private static final class RefusedException extends RuntimeException {
    final Refusal refusal;

    RefusedException(Refusal refusal) {
      super(refusal.condition(), null, false, false);
      this.refusal = refusal;
    }
  }
}

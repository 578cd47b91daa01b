package dev.tern.router.blocking;

import static java.util.Objects.requireNonNull;

import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.RouterSubjects;
import dev.tern.routing.WireText;
import dev.tern.routing.blocking.BlockingWire;
import dev.tern.storage.blocking.BlockListStore;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's part of XEP-0191: reads and changes block lists for the edges (which answer the
 * IQs and push the change to the user's sessions), announces each change on
 * {@link BlockingWire#CHANGED} so that every router of every region drops its cached copy, and
 * answers the edges' checks of IQs between users. Messages are checked on the message path by
 * {@link MessageGate}, with {@link #lists()}.
 */
public final class BlockingRouter {

  private static final Logger log = LoggerFactory.getLogger(BlockingRouter.class);

  /** The most JIDs one user may block: a list is read whole for every message. */
  public static final int MAX_ITEMS = 10_000;

  private final Connection nats;
  private final BlockListStore store;
  private final BlockLists lists;

  public BlockingRouter(Connection nats, BlockListStore store, BlockLists lists) {
    this.nats = requireNonNull(nats, "nats");
    this.store = requireNonNull(store, "store");
    this.lists = requireNonNull(lists, "lists");
  }

  /** The cached block lists, for the message path and for presence. */
  public BlockLists lists() {
    return lists;
  }

  public void subscribe(Dispatcher dispatcher, String region) {
    dispatcher.subscribe(BlockingWire.lists(region), RouterSubjects.QUEUE_GROUP, this::onList);
    dispatcher.subscribe(BlockingWire.check(region), RouterSubjects.QUEUE_GROUP, this::onCheck);
    // Every router, in every region, drops its copy of a changed list (no queue group).
    dispatcher.subscribe(BlockingWire.CHANGED, m -> lists.changedElsewhere(
        new String(m.getData(), StandardCharsets.UTF_8)));
  }

  void onList(Message request) {
    Headers h = request.getHeaders();
    String user = WireText.header(h, MessageWire.USER);
    String op = WireText.header(h, BlockingWire.OP);
    List<String> jids = BlockingWire.decode(request.getData());
    if (user == null) {
      reply(request, Refusal.of("bad-request", "modify"), null);
      return;
    }
    CompletionStage<@Nullable List<String>> done = switch (op == null ? "" : op) {
      case BlockingWire.GET -> store.blocked(user).thenApply(set -> List.copyOf(set));
      case BlockingWire.BLOCK -> block(user, jids).thenApply(v -> null);
      case BlockingWire.UNBLOCK -> (jids.isEmpty() ? store.unblockAll(user)
          : store.unblock(user, jids)).thenApply(v -> {
            changed(user);
            return null;
          });
      default -> CompletableFuture.failedFuture(new RefusedException(
          Refusal.of("bad-request", "modify")));
    };
    done.whenComplete((list, error) -> {
      if (error != null) {
        reply(request, refusal(error, "block list " + op + " of " + user), null);
      } else {
        reply(request, null, list);
      }
    });
  }

  private CompletionStage<Void> block(String user, List<String> jids) {
    if (jids.isEmpty()) {
      return CompletableFuture.failedFuture(new RefusedException(Refusal.of("bad-request", "modify")));
    }
    return store.blocked(user).thenCompose(current -> {
      Set<String> after = new HashSet<>(current);
      after.addAll(jids);
      if (after.size() > MAX_ITEMS) {
        throw new RefusedException(Refusal.of("policy-violation", "modify"));
      }
      return store.block(user, jids);
    }).thenRun(() -> changed(user));
  }

  /** Drops this router's copy at once, then tells every router everywhere. */
  private void changed(String user) {
    lists.invalidate(user);
    nats.publish(BlockingWire.CHANGED, user.getBytes(StandardCharsets.UTF_8));
  }

  void onCheck(Message request) {
    Headers h = request.getHeaders();
    if (WireText.header(h, MessageWire.FROM) == null
        || WireText.header(h, MessageWire.TO) == null) {
      reply(request, Refusal.of("bad-request", "modify"), null);
      return;
    }
    lists.verdict(WireText.header(h, MessageWire.FROM), WireText.header(h, MessageWire.TO))
        .whenComplete((verdict, error) -> reply(request, error != null
            ? refusal(error, "blocking check") : verdict.refusal().orElse(null), null));
  }

  private static Refusal refusal(Throwable error, String what) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException
        && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof RefusedException r) {
      return r.refusal;
    }
    log.warn("{} failed", what, cause);
    return Refusal.INTERNAL_SERVER_ERROR;
  }

  private void reply(Message request, @Nullable Refusal refusal, @Nullable List<String> list) {
    if (request.getReplyTo() == null) {
      return;
    }
    NatsMessage.Builder b = NatsMessage.builder().subject(request.getReplyTo())
        .data(list == null ? new byte[0] : BlockingWire.encode(list));
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

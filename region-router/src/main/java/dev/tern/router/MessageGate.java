package dev.tern.router;

import static java.util.Objects.requireNonNull;

import dev.tern.router.accounts.KnownAccounts;
import dev.tern.router.blocking.BlockLists;
import dev.tern.router.blocking.Verdict;
import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.WireText;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door of the message path: a message goes on to be stored only if its recipient has an
 * account and neither user blocked the other. Otherwise it is answered with its refusal and goes
 * no further, so it is never stored, queued or delivered:
 * <ul>
 *   <li>to a username with no account, {@code service-unavailable} (RFC 6121 §8.5.2.1.1: so
 *       nothing waits in a queue for whoever registers the name later);
 *   <li>where one blocked the other, XEP-0191 §3.3's refusal.
 * </ul>
 * When the accounts or block lists cannot be read, the message is not stored either (the sender
 * is told to send it again), since letting it through could deliver what the recipient blocked.
 */
public final class MessageGate {

  private static final Logger log = LoggerFactory.getLogger(MessageGate.class);
  static final Refusal NO_SUCH_USER = Refusal.of("service-unavailable", "cancel");

  private final Connection nats;
  private final BlockLists lists;
  private final KnownAccounts accounts;

  public MessageGate(Connection nats, BlockLists lists, KnownAccounts accounts) {
    this.nats = requireNonNull(nats, "nats");
    this.lists = requireNonNull(lists, "lists");
    this.accounts = requireNonNull(accounts, "accounts");
  }

  /**
   * Completes with whether {@code request} (an edge's {@link MessageWire#send} request) may go
   * on; when it may not, or what decides it cannot be read, the edge has already got the
   * refusal as the reply.
   */
  public CompletableFuture<Boolean> admit(Message request) {
    Headers h = request.getHeaders();
    String to = WireText.header(h, MessageWire.TO);
    CompletableFuture<Boolean> admitted = new CompletableFuture<>();
    Optional<String> username = KnownAccounts.usernameOf(to);
    (username.isEmpty() ? CompletableFuture.completedFuture(false)
        : accounts.exists(username.get()))
        .thenCompose(exists -> !exists ? CompletableFuture.completedFuture(Optional.of(NO_SUCH_USER))
            : lists.verdict(WireText.header(h, MessageWire.FROM), to).thenApply(Verdict::refusal))
        .whenComplete((refusal, error) -> {
          if (error == null && refusal.isEmpty()) {
            admitted.complete(true);
            return;
          }
          try {
            if (error != null) {
              log.warn("accounts or block lists for a message not read; not stored", error);
            }
            nats.publish(NatsMessage.builder().subject(request.getReplyTo())
                .headers(error != null ? new Headers().add(MessageWire.ERROR, "not stored")
                    : refusal.get().toHeaders())
                .data(new byte[0]).build());
          } catch (RuntimeException e) {
            log.error("refusal of a message not sent", e);
          } finally {
            admitted.complete(false);
          }
        });
    return admitted;
  }

}

package dev.tern.router.blocking;

import static java.util.Objects.requireNonNull;

import dev.tern.routing.MessageWire;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0191 §3.3 at the door of the message path: a message between two users where one blocked
 * the other is answered with its refusal and goes no further, so it is never stored, queued or
 * delivered; any other message goes on. When the block lists cannot be read, the message is not
 * stored either (the sender is told to send it again), since letting it through could deliver
 * what the recipient blocked.
 */
public final class MessageGate {

  private static final Logger log = LoggerFactory.getLogger(MessageGate.class);

  private final Connection nats;
  private final BlockLists lists;

  public MessageGate(Connection nats, BlockLists lists) {
    this.nats = requireNonNull(nats, "nats");
    this.lists = requireNonNull(lists, "lists");
  }

  /**
   * Completes with whether {@code request} (an edge's {@link MessageWire#send} request) may go
   * on; when a block list refuses it, or cannot be read, the edge has already got the refusal as
   * the reply.
   */
  public CompletableFuture<Boolean> admit(Message request) {
    Headers h = request.getHeaders();
    CompletableFuture<Boolean> admitted = new CompletableFuture<>();
    lists.verdict(h.getFirst(MessageWire.FROM), h.getFirst(MessageWire.TO))
        .whenComplete((verdict, error) -> {
          if (error == null && verdict.refusal().isEmpty()) {
            admitted.complete(true);
            return;
          }
          try {
            if (error != null) {
              log.warn("block lists for a message not read; not stored", error);
            }
            nats.publish(NatsMessage.builder().subject(request.getReplyTo())
                .headers(error != null ? new Headers().add(MessageWire.ERROR, "not stored")
                    : verdict.refusal().get().toHeaders())
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

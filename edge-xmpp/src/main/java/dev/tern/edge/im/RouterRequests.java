package dev.tern.edge.im;

import dev.tern.routing.Refusal;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A request to a router of the region, as the edge's clients of the routers make them: the
 * reply, or the router's {@link Refusal} as an {@link EdgeMessaging.Refused}, which the IQ
 * dispatcher answers as the stanza error it names.
 */
public final class RouterRequests {

  private RouterRequests() {}

  /** Sends {@code request} and completes with the reply unless it carries a refusal. */
  public static CompletionStage<Message> ask(Connection nats, NatsMessage request,
      Duration timeout) {
    return nats.requestWithTimeout(request, timeout).thenApply(reply -> {
      Refusal.from(reply.getHeaders()).ifPresent(refusal -> {
        throw new EdgeMessaging.Refused(refusal);
      });
      return reply;
    });
  }
}

package dev.tern.edge.mam;

import static java.util.Objects.requireNonNull;

import dev.tern.routing.WireText;
import dev.tern.routing.mam.MamPage;
import dev.tern.routing.mam.MamRequest;
import dev.tern.routing.mam.MamWire;
import io.nats.client.Connection;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** Where the edge gets archive pages: a router of its region (see {@link MamWire}). */
public interface MamClient {

  /**
   * The page; fails with {@link dev.tern.routing.mam.MamFailure} for a query the archive refuses,
   * with another exception when no router answered.
   */
  CompletionStage<MamPage> query(MamRequest request);

  /** Asks any router of {@code region} over NATS. */
  static MamClient nats(Connection nats, String region, Duration timeout) {
    requireNonNull(nats, "nats");
    requireNonNull(region, "region");
    requireNonNull(timeout, "timeout");
    return request -> nats.requestWithTimeout(NatsMessage.builder()
            .subject(MamWire.query(region)).data(request.encode()).build(), timeout)
        .thenApply(reply -> {
          String error = reply.getHeaders() == null
              ? null : WireText.header(reply.getHeaders(), MamWire.ERROR);
          if (error == null) {
            return MamPage.decode(reply.getData());
          }
          for (var reason : dev.tern.routing.mam.MamFailure.Reason.values()) {
            if (reason.name().equals(error)) {
              throw new dev.tern.routing.mam.MamFailure(reason, "");
            }
          }
          throw new IllegalStateException("the router could not answer the archive query");
        });
  }
}

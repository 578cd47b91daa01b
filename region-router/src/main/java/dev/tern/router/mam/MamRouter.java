package dev.tern.router.mam;

import static java.util.Objects.requireNonNull;

import dev.tern.routing.WireText;
import dev.tern.routing.mam.MamFailure;
import dev.tern.routing.mam.MamRequest;
import dev.tern.routing.mam.MamWire;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves archive queries from the region's edges (see {@link MamWire}). */
public final class MamRouter {

  private static final Logger log = LoggerFactory.getLogger(MamRouter.class);

  private final Connection nats;
  private final MamArchive archive;

  public MamRouter(Connection nats, MamArchive archive) {
    this.nats = requireNonNull(nats, "nats");
    this.archive = requireNonNull(archive, "archive");
  }

  public void subscribe(Dispatcher dispatcher, String region) {
    dispatcher.subscribe(MamWire.query(region), dev.tern.routing.RouterSubjects.QUEUE_GROUP,
        this::onQuery);
  }

  private void onQuery(Message request) {
    MamRequest q;
    try {
      q = MamRequest.decode(request.getData());
    } catch (RuntimeException e) {
      log.warn("an archive query that does not decode", e);
      fail(request, MamFailure.Reason.BAD_REQUEST.name());
      return;
    }
    archive.query(q).whenComplete((page, error) -> {
      if (error == null) {
        nats.publish(request.getReplyTo(), page.encode());
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      if (cause instanceof MamFailure f) {
        fail(request, f.reason().name());
      } else {
        log.warn("archive query of {} failed", q.user(), cause);
        fail(request, MamWire.INTERNAL);
      }
    });
  }

  private void fail(Message request, String reason) {
    nats.publish(NatsMessage.builder().subject(request.getReplyTo())
        .headers(new Headers()
        .add(MamWire.ERROR, WireText.encode(reason))).data(new byte[0]).build());
  }
}

package dev.tern.router.pep;

import static java.util.Objects.requireNonNull;

import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.RouterSubjects;
import dev.tern.routing.WireText;
import dev.tern.routing.pep.PepWire;
import dev.tern.storage.errors.StoreErrors;
import dev.tern.storage.pep.PepStore;
import dev.tern.storage.roster.RosterStore;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
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
 * The router's part of XEP-0163 on NATS: answers the edges' PEP requests ({@link PepWire}) in
 * the routers' queue group with {@link Pep}. The reply carries the IQ result's child as XML, or
 * the {@link Refusal} that becomes its stanza error.
 */
public final class PepRouter {

  private static final Logger log = LoggerFactory.getLogger(PepRouter.class);

  private final Connection nats;
  private final Pep pep;
  private final PepNotifier notifier;
  private final StoreErrors errors;

  public PepRouter(Connection nats, PepStore store, RosterStore rosters, StoreErrors errors,
      Clock clock) {
    this.nats = requireNonNull(nats, "nats");
    this.errors = requireNonNull(errors, "errors");
    PepAccess access = new PepAccess(rosters);
    this.notifier = new PepNotifier(store, rosters, access, (toJid, xml) ->
        nats.publish(MessageWire.stanza(toJid, xml)));
    this.pep = new Pep(store, access, clock, notifier);
  }

  public void subscribe(Dispatcher dispatcher, String region) {
    dispatcher.subscribe(PepWire.request(region), RouterSubjects.QUEUE_GROUP, this::onRequest);
    dispatcher.subscribe(PepWire.last(region), RouterSubjects.QUEUE_GROUP, this::onLast);
  }

  /** §4.3.3: a session became available and wants the last items of the nodes it names. */
  void onLast(Message request) {
    Headers h = request.getHeaders();
    String from = h == null ? null : WireText.header(h, MessageWire.FROM);
    Jid subscriber;
    try {
      subscriber = Jid.parse(from == null ? "" : from);
    } catch (JidMalformedException e) {
      reply(request, null, Refusal.of("bad-request", "modify"));
      return;
    }
    if (subscriber.resource().isEmpty()) {
      reply(request, null, Refusal.of("bad-request", "modify"));
      return;
    }
    notifier.last(subscriber.toString(), subscriber.bare().toString(),
            PepWire.decodeNodes(request.getData()))
        .whenComplete((v, error) -> reply(request, null, error == null ? null
            : refusal(error, "last PEP items for " + subscriber)));
  }

  void onRequest(Message request) {
    Headers h = request.getHeaders();
    String from = h == null ? null : WireText.header(h, MessageWire.FROM);
    String to = h == null ? null : WireText.header(h, MessageWire.TO);
    String type = h == null ? null : WireText.header(h, PepWire.TYPE);
    if (from == null || type == null) {
      reply(request, null, Refusal.of("bad-request", "modify"));
      return;
    }
    Jid requester;
    String owner;
    XmlElement pubsub;
    try {
      requester = Jid.parse(from);
      owner = to == null ? requester.bare().toString() : Jid.parse(to).bare().toString();
      pubsub = Xml.parse(new String(request.getData(), StandardCharsets.UTF_8));
    } catch (JidMalformedException | IllegalArgumentException e) {
      reply(request, null, Refusal.of("bad-request", "modify"));
      return;
    }
    CompletionStage<Optional<XmlElement>> done;
    try {
      done = pep.handle(requester, owner, type, pubsub);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    done.whenComplete((result, error) -> {
      if (error != null) {
        reply(request, null, refusal(error, "PEP request of " + requester + " to " + owner));
      } else {
        reply(request, result.orElse(null), null);
      }
    });
  }

  private Refusal refusal(Throwable error, String what) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof PepRefused r) {
      return r.refusal;
    }
    if (errors.passing(cause)) {
      log.warn("{} failed: {}", what, cause.toString());
    } else {
      log.warn("{} failed", what, cause);
    }
    return Refusal.INTERNAL_SERVER_ERROR;
  }

  private void reply(Message request, @Nullable XmlElement result, @Nullable Refusal refusal) {
    if (request.getReplyTo() == null) {
      return;
    }
    NatsMessage.Builder b = NatsMessage.builder().subject(request.getReplyTo())
        .data(result == null ? new byte[0]
            : Xml.serialize(result).getBytes(StandardCharsets.UTF_8));
    if (refusal != null) {
      b.headers(refusal.toHeaders());
    }
    nats.publish(b.build());
  }
}

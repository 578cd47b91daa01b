package dev.tern.edge.iq;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionState;
import dev.tern.routing.Refusal;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IQs from a client (RFC 6120 §8.2.3): those for the server or the account go to the handler the
 * {@link IqRegistry} finds for them; those for another user's resource pass to it wherever it is
 * connected (RFC 6121 §8.5.3). Every get or set gets exactly one answer.
 */
public final class IqDispatcher {

  private static final Logger log = LoggerFactory.getLogger(IqDispatcher.class);
  /** RFC 6121 §8.5.3.2.1, and XEP-0191 §3.3 for a blocked sender. */
  private static final EdgeMessaging.Refused UNAVAILABLE =
      new EdgeMessaging.Refused(Refusal.of("service-unavailable", "cancel"));
  private static final String SESSION = "urn:ietf:params:xml:ns:xmpp-session";

  private final IqRegistry registry;
  private final EdgeMessaging messaging;

  public IqDispatcher(IqRegistry registry, EdgeMessaging messaging) {
    this.registry = requireNonNull(registry, "registry");
    this.messaging = requireNonNull(messaging, "messaging");
  }

  public IqRegistry registry() {
    return registry;
  }

  /** Answers (or passes on) {@code iq}, {@code from} already stamped once the session is bound. */
  public void dispatch(Session session, XmlElement iq) {
    String type = iq.attribute("type").orElse("");
    Optional<Jid> to = iq.attribute("to").flatMap(IqDispatcher::parse);
    boolean toUserResource = to.isPresent() && to.get().local().isPresent()
        && to.get().resource().isPresent() && to.get().domain().equals(session.domain());
    if (type.equals("result") || type.equals("error")) {
      // Only a bound session's answers go on: their 'from' is stamped (RFC 6120 §8.1.2.1).
      if (toUserResource && session.state() == SessionState.BOUND) {
        // The answer to an IQ another user's resource sent this one (RFC 6121 §8.5.3.1).
        messaging.pass(to.get().toString(), Xml.serialize(iq));
      }
      return; // answers to nothing the server asked for are ignored (RFC 6120 §8.2.3)
    }
    List<XmlElement> payloads = iq.elements();
    if (!type.equals("get") && !type.equals("set") || payloads.size() != 1
        || iq.attribute("id").isEmpty()) {
      session.replyError(iq, StanzaErrorCondition.BAD_REQUEST,
          "an IQ get or set with an id and one payload");
      return;
    }
    XmlElement payload = payloads.get(0);
    if (payload.name().equals("session") && payload.namespace().equals(SESSION)) {
      session.send(result(session, iq).build()); // RFC 6121 Appendix E: a no-op for old clients
      return;
    }
    boolean bound = session.state() == SessionState.BOUND;
    if (toUserResource && bound) {
      route(session, iq, to.get());
      return;
    }
    Optional<HostedService> service = to.filter(j -> j.local().isEmpty() && j.resource().isEmpty())
        .flatMap(j -> registry.service(j.domain()));
    if (service.isPresent()) {
      if (!bound) {
        session.replyError(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE, "");
        return;
      }
      answer(session, iq, payload, request -> ServiceRequests.answer(service.get(), request));
      return;
    }
    Optional<IqRegistration.Addressing> addressing = addressing(session, iq);
    if (addressing.isEmpty()) {
      session.replyError(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE, "");
      return;
    }
    Optional<IqHandler> handler = registry.find(type, payload.name(), payload.namespace(),
        addressing.get());
    if (handler.isEmpty() && iq.attribute("to").isEmpty()) {
      // RFC 6120 §10.3.3: no 'to' is also the account itself.
      handler = registry.find(type, payload.name(), payload.namespace(),
          IqRegistration.Addressing.OWN_ACCOUNT);
    }
    if (handler.isEmpty() || (!bound && !handler.get().registration().beforeAuthentication())) {
      session.replyError(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE, "");
      return;
    }
    answer(session, iq, payload, handler.get()::handle);
  }

  /** Hands {@code iq} to {@code handler} and sends its answer, or its error. */
  private void answer(Session session, XmlElement iq, XmlElement payload,
      Function<IqRequest, CompletionStage<Optional<XmlElement>>> handler) {
    Queue<Runnable> afterAnswer = new ConcurrentLinkedQueue<>();
    IqRequest request = new IqRequest(iq, payload, session.jid(), session.secure(),
        session::sendFromAnyThread, afterAnswer::add);
    CompletionStage<Optional<XmlElement>> answer;
    try {
      answer = handler.apply(request);
    } catch (IqError e) {
      session.replyError(iq, e.condition(), e.getMessage() == null ? "" : e.getMessage());
      return;
    }
    answer.whenComplete((result, error) -> session.executor().execute(() -> {
      if (session.state() == SessionState.CLOSED) {
        return;
      }
      if (error == null) {
        XmlElement.Builder reply = result(session, iq);
        result.ifPresent(reply::child);
        session.send(reply.build());
        afterAnswer.forEach(Runnable::run);
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      if (cause instanceof IqError e) {
        session.replyError(iq, e.condition(), e.getMessage() == null ? "" : e.getMessage());
      } else if (cause instanceof EdgeMessaging.Refused refused) {
        session.send(refused.errorReply(iq)); // a router's refusal, as it named it
      } else {
        log.warn("IQ {} failed", payload.namespace(), cause);
        session.replyError(iq, StanzaErrorCondition.INTERNAL_SERVER_ERROR, "");
      }
    }));
  }

  /**
   * An IQ get or set for another resource (RFC 6121 §8.5.3): passed to it wherever it is
   * connected; its answer comes back the same way. No such resource: service-unavailable; one of
   * the two blocked the other: the error of XEP-0191 §3.3.
   */
  private void route(Session session, XmlElement iq, Jid to) {
    // XEP-0191 §3.3: not between users where one blocked the other (the refusal says which)
    messaging.refusal(session.boundJid().toString(), to.toString())
        .thenCompose(refused -> refused.isPresent()
            ? CompletableFuture.completedFuture(refused)
            : messaging.passConfirmed(to.toString(), Xml.serialize(iq))
                .thenApply(taken -> taken ? Optional.<EdgeMessaging.Refused>empty()
                    : Optional.of(UNAVAILABLE)))
        .whenComplete((refused, error) -> session.executor().execute(() -> {
          if (session.state() != SessionState.CLOSED && (error != null || refused.isPresent())) {
            session.send((error != null ? UNAVAILABLE : refused.get()).errorReply(iq));
          }
        }));
  }

  /** SERVER for the domain or no 'to'; OWN_ACCOUNT for the sender's bare JID; else empty. */
  private static Optional<IqRegistration.Addressing> addressing(Session session, XmlElement iq) {
    Optional<String> to = iq.attribute("to");
    if (to.isEmpty()) {
      return Optional.of(IqRegistration.Addressing.SERVER);
    }
    Optional<Jid> jid = parse(to.get());
    if (jid.isEmpty()) {
      return Optional.empty();
    }
    Jid j = jid.get();
    boolean here = j.domain().equals(session.domain());
    if (j.local().isEmpty() && j.resource().isEmpty() && here) {
      return Optional.of(IqRegistration.Addressing.SERVER);
    }
    if (session.jid().isPresent() && j.equals(session.jid().get().bare())) {
      return Optional.of(IqRegistration.Addressing.OWN_ACCOUNT);
    }
    if (j.local().isPresent() && j.resource().isEmpty() && here) {
      return Optional.of(IqRegistration.Addressing.OTHER_USER);
    }
    return Optional.empty();
  }

  /** The start of the {@code result} answering {@code iq} (RFC 6120 §8.2.3). */
  public static XmlElement.Builder result(Session session, XmlElement iq) {
    XmlElement.Builder b = XmlElement.builder("iq", "jabber:client").attribute("type", "result");
    iq.attribute("id").ifPresent(id -> b.attribute("id", id));
    session.jid().ifPresent(jid -> b.attribute("to", jid.toString()));
    iq.attribute("to").ifPresent(to -> b.attribute("from", to));
    return b;
  }

  private static Optional<Jid> parse(String jid) {
    try {
      return Optional.of(Jid.parse(jid));
    } catch (JidMalformedException e) {
      return Optional.empty();
    }
  }
}

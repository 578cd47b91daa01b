package dev.tern.edge.sm;

import dev.tern.directory.sm.ResumableSession;
import dev.tern.edge.carbons.Carbons;
import dev.tern.edge.carbons.CarbonsSession;
import dev.tern.edge.presence.PresenceSession;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;
import dev.tern.edge.session.SessionState;
import dev.tern.edge.sid.StanzaIds;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.StreamErrorException;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's XEP-0198 state: what the client sent and the server handled (h, counted once a
 * stanza is handled: a message once stored), what the server sent and the client has not
 * acknowledged (kept in the resumption store before it goes on the wire), and the stored
 * resumable session with its lease.
 */
public final class ManagedStream implements SessionModule {

  private static final Logger log = LoggerFactory.getLogger(ManagedStream.class);
  /** Ask the client for an ack once this many stanzas are unacknowledged. */
  private static final int REQUEST_EVERY = 5;
  /** Shared, completed, never completed again: where each chain of sends starts. */
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  /** The tag of a queued stanza nobody waits on. */
  private static final Runnable NOTHING = () -> {};

  private final Session session;
  private final Resumption resumption;
  // null until enabled (or resumed)
  private @Nullable AckCounter inbound;
  private @Nullable OutboundQueue outbound;
  private @Nullable ResumableSession stored;
  private boolean ackRequested;
  /** An {@code <r/>} to send once the client's stanzas in flight are handled. */
  private boolean ackRequestDeferred;
  /** An {@code <r/>} was answered while stanzas were still being handled: an {@code <a/>} is owed. */
  private boolean ackOwed;
  private CompletableFuture<?> sendChain = DONE;
  private @Nullable ScheduledFuture<?> refresh;
  /** For each stanza in the outbound queue: what runs when the client acknowledges it. */
  private final ArrayDeque<Runnable> whenAcked = new ArrayDeque<>(1);
  /** Inbound stanzas not yet handled, in arrival order. */
  private final ArrayDeque<CompletableFuture<?>> inboundPending = new ArrayDeque<>(1);
  /** The stored messages the stream this one resumed had sent; null unless resumed. */
  private @Nullable ResumedAcks resumedAcks;

  ManagedStream(Session session, Resumption resumption) {
    this.session = session;
    this.resumption = resumption;
  }

  /** Whether stream management counts this stream's outbound stanzas. */
  public boolean enabled() {
    return outbound != null;
  }

  /**
   * Whether there is room for stored messages: at most half the unacknowledged-stanza limits are
   * used (the rest is for everything else the session sends).
   */
  public boolean roomForDeliveries() {
    OutboundQueue queue = outbound;
    return queue == null || (queue.size() < queue.limits().maxStanzas() / 2
        && queue.bytes() < queue.limits().maxBytes() / 2);
  }

  /** Asks the client for an ack unless one is asked for already or nothing is unacknowledged. */
  public void askForAck() {
    OutboundQueue queue = outbound;
    if (queue != null && !ackRequested && queue.size() > 0) {
      ackRequested = true;
      sendAckRequest();
    }
  }

  /** As {@link #askForAck}, shortly: the client has just answered the last request. */
  public void askForAckSoon() {
    OutboundQueue queue = outbound;
    if (queue != null && !ackRequested && queue.size() > 0) {
      ackRequested = true;
      session.executor().schedule(() -> {
        if (session.state() != SessionState.CLOSED) {
          sendAckRequest();
        }
      }, 200, TimeUnit.MILLISECONDS);
    }
  }

  // ---- nonzas (XEP-0198 §3–§5) ----

  /**
   * {@code <sm/>} once authenticated, until it is enabled: the features after a SASL2 login that
   * enabled it inline (Bind 2) do not offer it again, else a client (xmpp.js 0.14) takes it for
   * a new stream and asks to resume or enable once more.
   */
  @Override
  public void features(SessionState state, List<XmlElement> out) {
    if ((state == SessionState.AUTHENTICATED || state == SessionState.BOUND) && !enabled()) {
      out.add(new StreamManagement.Feature().toElement());
    }
  }

  @Override
  public void nonza(XmlElement e) {
    SessionState state = session.state();
    if (state != SessionState.AUTHENTICATED && state != SessionState.BOUND) {
      session.streamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
          "<" + e.name() + " xmlns='" + e.namespace() + "'> is not handled here");
      return;
    }
    StreamManagement.Nonza nonza;
    try {
      nonza = StreamManagement.parse(e);
    } catch (StreamErrorException ex) {
      session.streamError(ex.condition(), ex.text());
      return;
    }
    if (nonza instanceof StreamManagement.Enable enable) {
      onEnable(enable);
    } else if (nonza instanceof StreamManagement.Resume resume) {
      onResume(resume);
    } else if (nonza instanceof StreamManagement.Request) {
      if (inbound == null) {
        session.streamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
            "stream management is not enabled");
        return;
      }
      session.write(new StreamManagement.Ack(inbound.value()).toElement());
      // Stanzas still being stored are not counted yet: once they are, an unsolicited <a/>
      // follows (XEP-0198 §4 allows it). A client whose unacknowledged queue is full (Smack
      // blocks at 1 000) sends no new <r/> and would otherwise wait for ever.
      ackOwed = !inboundPending.isEmpty();
    } else if (nonza instanceof StreamManagement.Ack ack) {
      onAck(ack.h());
    } else {
      session.streamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
          "<" + e.name() + "/> is the server's to send");
    }
  }

  private void onEnable(StreamManagement.Enable enable) {
    if (session.state() != SessionState.BOUND || inbound != null) {
      // XEP-0198 §3: only once, and only after resource binding.
      session.write(StreamManagement.Failed.of(StanzaErrorCondition.UNEXPECTED_REQUEST).toElement());
      return;
    }
    enable(enable).thenAccept(enabled -> {
      session.write(enabled);
      startOutboundCounting(); // the client counts what it receives from <enabled/> on
      session.clientReady(); // stream management on: what waited may be delivered now
    });
  }

  /**
   * Enables stream management on this bound stream; completes on the event loop with the
   * {@code <enabled/>} to send, after which {@link #startOutboundCounting()} must follow.
   */
  public CompletableFuture<XmlElement> enable(StreamManagement.Enable enable) {
    Jid jid = session.boundJid();
    AckCounter counter = new AckCounter(); // the client counts what it sends from <enable/> on
    inbound = counter;
    CompletableFuture<XmlElement> out = new CompletableFuture<>();
    resumption.enable(enable, jid.bare().toString(), jid.toString())
        .whenComplete((enabling, error) -> session.executor().execute(() -> {
          if (session.state() == SessionState.CLOSED) {
            if (enabling != null) {
              enabling.session().ifPresent(sm -> resumption.store().remove(sm.id(), sm.lease()));
            }
            return;
          }
          if (error == null && enabling.session().isPresent()) {
            ResumableSession sm = enabling.session().get();
            stored = sm;
            watchLease(resumption.store().handled(sm.id(), sm.lease(), counter.value()));
            if (session.module(CarbonsSession.class).map(CarbonsSession::enabled).orElse(false)
                || session.module(PresenceSession.class).map(PresenceSession::available)
                    .orElse(false)) {
              resumableStateChanged(); // enabled after carbons or presence
            }
            scheduleRefresh();
          }
          out.complete(error == null ? enabling.enabled().toElement()
              : StreamManagement.Enabled.withoutResumption().toElement());
        }));
    return out;
  }

  public void startOutboundCounting() {
    outbound = new OutboundQueue(resumption.settings().queueLimits());
  }

  private void onAck(long h) {
    OutboundQueue queue = outbound;
    if (queue == null) {
      session.streamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
          "stream management is not enabled");
      return;
    }
    int acked;
    try {
      acked = queue.ack(h);
    } catch (HandledCountTooHighException e) {
      session.streamError(e.streamError());
      return;
    }
    for (int i = 0; i < acked && !whenAcked.isEmpty(); i++) {
      whenAcked.poll().run();
    }
    ackRequested = false;
    ResumableSession s = stored;
    if (s != null) {
      watchLease(resumption.store().ack(s.id(), s.lease(), h));
    }
    if (queue.size() > 0 && acked > 0) {
      // More went out since the request this ack answers: ask again, so delivered messages
      // leave the unread queue without waiting for the next stanza.
      ackRequested = true;
      sendAckRequest();
    }
    session.roomChanged(); // acks made room for what was left to the unread queue
  }

  private void onResume(StreamManagement.Resume resume) {
    if (session.state() != SessionState.AUTHENTICATED) {
      // XEP-0198 §5: resume instead of binding, not after it.
      session.write(StreamManagement.Failed.of(StanzaErrorCondition.UNEXPECTED_REQUEST).toElement());
      return;
    }
    resume(resume).thenAccept(result -> {
      session.write(result.element());
      sendAgain(result.resend());
      if (session.state() == SessionState.BOUND) {
        session.announceBound();
      }
    });
  }

  /** What a resumption attempt answers: {@code <resumed/>} or {@code <failed/>}, and what to resend. */
  public record ResumeResult(XmlElement element, List<XmlElement> resend) {

    public boolean resumed() {
      return element.name().equals("resumed");
    }
  }

  /** Resumes {@code resume.previd()} for the authenticated user; completes on the event loop. */
  public CompletableFuture<ResumeResult> resume(StreamManagement.Resume resume) {
    String owner = Jid.of(session.username().orElseThrow(), session.domain(), null).toString();
    CompletableFuture<ResumeResult> out = new CompletableFuture<>();
    resumption.resume(resume, owner).whenComplete((outcome, error) ->
        session.executor().execute(() -> {
          if (session.state() == SessionState.CLOSED) {
            if (outcome instanceof Resumption.Accepted a) {
              resumption.store().detach(a.session().id(), a.session().lease());
            }
            return;
          }
          if (error != null || !(outcome instanceof Resumption.Accepted accepted)) {
            out.complete(new ResumeResult(outcome instanceof Resumption.Refused refused
                ? refused.failed().toElement()
                : StreamManagement.Failed.of(StanzaErrorCondition.INTERNAL_SERVER_ERROR).toElement(),
                List.of()));
            return;
          }
          Jid jid;
          try {
            jid = Jid.parse(accepted.session().fullJid());
          } catch (JidMalformedException ex) {
            out.complete(new ResumeResult(StreamManagement.Failed.of(
                StanzaErrorCondition.INTERNAL_SERVER_ERROR).toElement(), List.of()));
            return;
          }
          session.bindTo(jid);
          inbound = accepted.inbound();
          outbound = accepted.queue();
          stored = accepted.session();
          // XEP-0198 §5: the session's state comes along: carbons and the last presence
          session.module(CarbonsSession.class)
              .ifPresent(c -> c.restore(accepted.session().carbons()));
          session.resumed(accepted.session().presence()); // presence, PEP notifications…
          // XEP-0198 §5: the resume's h acknowledged as an <a/> does. What those acks settle
          // (a stored message leaving the unread queue) is known by stanza-id to whoever reads
          // the queue again (claimResumed); the same for those sent again, once acknowledged.
          ResumedAcks acks = new ResumedAcks();
          Jid bare = jid.bare();
          accepted.acknowledged().forEach(a -> storedId(a, bare).ifPresent(acks::acknowledged));
          whenAcked.clear();
          for (XmlElement again : accepted.resend()) {
            whenAcked.add(storedId(again, bare).<Runnable>map(acks::resent).orElse(NOTHING));
          }
          resumedAcks = acks;
          scheduleRefresh();
          out.complete(new ResumeResult(accepted.resumed().toElement(), accepted.resend()));
        }));
    return out;
  }

  /**
   * Whether the stream this one resumed had sent the stored message {@code stanzaId}: then it is
   * not to be written again (the resumption sent it again unless the resume's {@code h}
   * acknowledged it), and {@code whenAcked} runs once the client acknowledged it, at once if it
   * did already. Claimed once.
   */
  public boolean claimResumed(String stanzaId, Runnable whenAcked) {
    ResumedAcks acks = resumedAcks;
    return acks != null && acks.claim(stanzaId, whenAcked);
  }

  /**
   * The XEP-0359 id {@code user}'s server gave a stored message sent to the client, as it is or
   * in a XEP-0280 received copy.
   */
  private static Optional<String> storedId(XmlElement stanza, Jid user) {
    return StanzaIds.of(Carbons.receivedMessage(stanza).orElse(stanza), user);
  }

  /** Stanzas a resumed stream had not acknowledged: already queued and stored, sent as they are. */
  public void sendAgain(List<XmlElement> resend) {
    for (XmlElement stanza : resend) {
      session.listener().stanzaOut(session.transport(), stanza.name());
      session.write(stanza);
    }
  }

  /**
   * Keeps what a resumed session must take over besides the stream itself (XEP-0198 §5: the
   * session's state): carbons and the last available presence.
   */
  @Override
  public void resumableStateChanged() {
    ResumableSession s = stored;
    if (s != null) {
      boolean carbons = session.module(CarbonsSession.class).map(CarbonsSession::enabled)
          .orElse(false);
      String last = session.module(PresenceSession.class).flatMap(PresenceSession::last)
          .map(Xml::serialize).orElse("");
      watchLease(resumption.store().sessionState(s.id(), s.lease(), carbons, last));
    }
  }

  // ---- counting what the client sent (XEP-0198 §4) ----

  @Override
  public void received(CompletableFuture<?> handled) {
    if (inbound == null || session.state() == SessionState.CLOSED) {
      return;
    }
    inboundPending.add(handled);
    if (handled.isDone()) {
      advanceInbound();
    } else {
      handled.whenComplete((v, e) -> session.executor().execute(this::advanceInbound));
    }
  }

  /** h counts the stanzas handled so far, in order (XEP-0198 §4). */
  private void advanceInbound() {
    AckCounter counter = inbound;
    if (counter == null) {
      return;
    }
    boolean moved = countHandled(counter);
    ResumableSession s = stored;
    if (moved && s != null) {
      watchLease(resumption.store().handled(s.id(), s.lease(), counter.value()));
    }
    boolean open = session.state() != SessionState.CLOSED;
    if (moved && ackOwed && inboundPending.isEmpty() && open) {
      ackOwed = false;
      session.write(new StreamManagement.Ack(counter.value()).toElement());
    }
    if (ackRequestDeferred && inboundPending.isEmpty() && open) {
      ackRequestDeferred = false;
      writeAckRequest();
    }
  }

  /** Counts the stanzas handled at the head of the pending ones, in order; true if any. */
  private boolean countHandled(AckCounter counter) {
    boolean moved = false;
    while (!inboundPending.isEmpty() && inboundPending.peek().isDone()) {
      inboundPending.poll();
      counter.increment();
      moved = true;
    }
    return moved;
  }

  /**
   * Sends {@code <r/>}, or defers it while stanzas this client sent are still being handled: a
   * client busy sending may have its writer full, and one that must queue its {@code <a/>}
   * behind it stops reading (Smack 4.5 does: its reader blocks, never sees the server's acks,
   * and its writer waits for them for ever). Sent once the client's stanzas are handled.
   */
  private void sendAckRequest() {
    if (!inboundPending.isEmpty()) {
      ackRequestDeferred = true;
      return;
    }
    writeAckRequest();
  }

  /**
   * Writes {@code <r/>} behind every stanza queued before it: those still waiting for their
   * resumption-store write go out first, so the {@code h} that answers it can cover them. If by
   * then the client sent stanzas that are still being handled, the request waits for them as
   * {@link #sendAckRequest} says.
   */
  private void writeAckRequest() {
    XmlElement request = new StreamManagement.Request().toElement();
    if (sendChain.isDone()) {
      session.write(request);
      return;
    }
    sendChain = sendChain.thenRunAsync(() -> {
      if (session.state() == SessionState.CLOSED) {
        return;
      }
      if (!inboundPending.isEmpty()) {
        ackRequestDeferred = true; // advanceInbound writes it once they are handled
        return;
      }
      session.write(request);
    }, session.executor());
  }

  // ---- counting what the server sends ----

  /**
   * Queues a stanza until acknowledged. With resumption it is stored before it goes on the wire,
   * in order: a client may only ever have received what another edge can send again after this
   * one dies (the resumed h must fit the queue).
   */
  @Override
  public CompletableFuture<?> pendingWrites() {
    return sendChain;
  }

  @Override
  public boolean outbound(XmlElement stanza, @Nullable Runnable acked) {
    OutboundQueue queue = outbound;
    if (queue == null) {
      return false;
    }
    String xml = Xml.serialize(stanza);
    try {
      queue.add(xml);
      whenAcked.add(acked == null ? NOTHING : acked);
    } catch (OutboundQueueFullException e) {
      session.streamError(StreamErrorCondition.RESOURCE_CONSTRAINT, "too many unacknowledged stanzas");
      return true;
    }
    ResumableSession s = stored;
    if (s == null && sendChain.isDone()) {
      session.write(stanza);
    } else if (s == null) {
      // Resumption was just given up (the store failed) while earlier stanzas still wait for
      // their store writes: this one goes on the wire after them, never ahead.
      sendChain = sendChain.thenRunAsync(() -> {
        if (session.state() != SessionState.CLOSED) {
          session.write(stanza);
        }
      }, session.executor());
    } else {
      CompletionStage<Boolean> write = resumption.store().appendUnacked(s.id(), s.lease(), xml);
      watchLease(write);
      sendChain = sendChain
          .thenCombine(write.toCompletableFuture().exceptionally(error -> true), (a, b) -> b)
          .thenAcceptAsync(ok -> {
            if (ok && session.state() != SessionState.CLOSED) {
              session.write(stanza);
            }
          }, session.executor());
    }
    if (!ackRequested && queue.size() >= REQUEST_EVERY) {
      ackRequested = true;
      sendAckRequest();
    }
    return true;
  }

  // ---- the stored session ----

  @Override
  public void closed(Ending ending) {
    if (refresh != null) {
      refresh.cancel(false);
    }
    ResumableSession s = stored;
    if (s != null) {
      stored = null;
      // XEP-0198 §5: a stream that ended without </stream:stream> stays resumable for its window.
      if (ending == Ending.ON_PURPOSE) {
        resumption.store().remove(s.id(), s.lease());
      } else if (ending == Ending.LOST) {
        detachOnceHandled(s);
      }
    }
  }

  /**
   * Detaches {@code s} once the stanzas the client sent before the stream was lost are handled,
   * with their count: a message still being stored is in the {@code h} a resumption answers, so
   * the client does not send it again (§5).
   */
  private void detachOnceHandled(ResumableSession s) {
    AckCounter counter = inbound;
    if (counter == null || inboundPending.isEmpty()) {
      resumption.store().detach(s.id(), s.lease());
      return;
    }
    resumption.store().finishing(s.id(), s.lease()); // a resumption waits for the count
    CompletableFuture.allOf(inboundPending.toArray(CompletableFuture[]::new))
        .whenComplete((v, e) -> session.executor().execute(() -> {
          countHandled(counter);
          resumption.store().handled(s.id(), s.lease(), counter.value());
          resumption.store().detach(s.id(), s.lease());
        }));
  }

  /** Keeps the stored state alive while the stream is (XEP-0198 state outlives the edge). */
  private void scheduleRefresh() {
    refresh = session.executor().scheduleAtFixedRate(() -> {
      ResumableSession s = stored;
      if (s != null) {
        watchLease(resumption.store().refresh(s.id(), s.lease()));
      }
    }, 30, 30, TimeUnit.SECONDS);
  }

  /** A write refused for a lost lease means the stream was resumed elsewhere: this one ends. */
  private void watchLease(CompletionStage<Boolean> write) {
    write.whenComplete((ok, error) -> session.executor().execute(() -> {
      if (error != null) {
        log.warn("stream management store failed; the stream stays, without resumption", error);
        ResumableSession s = stored;
        stored = null;
        if (s != null) {
          resumption.store().remove(s.id(), s.lease());
        }
      } else if (!ok && stored != null) {
        stored = null; // the new holder owns the unacknowledged stanzas now
        session.takenOver(); // and the session's presence: no unavailable from here
        session.streamError(StreamErrorCondition.CONFLICT, "the stream was resumed elsewhere");
      }
    }));
  }
}

package dev.tern.edge.sm;

import static java.util.Objects.requireNonNull;

import dev.tern.directory.sm.ResumableSession;
import dev.tern.directory.sm.ResumptionStore;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code <enable/>} and {@code <resume/>} (XEP-0198 §3, §5) against the region's
 * {@link ResumptionStore}, so that a stream enabled on one edge can be resumed on any other.
 *
 * <p>An SM-ID is 192 random bits: unguessable, and never reused. It is bound to its owner by the
 * store, which gives a session only to the bare JID that enabled it; a resumption with another
 * user's SM-ID fails exactly like one with an unknown or expired SM-ID, with
 * {@code <item-not-found/>} (§5), and leaves that user's session untouched.
 */
public final class Resumption {

  private static final Logger log = LoggerFactory.getLogger(Resumption.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * @param maxResumeWindow the longest resumption time granted, whatever the client asks for
   * @param queueLimits bounds of each stream's {@link OutboundQueue}
   * @param location where clients should reconnect to resume ({@code <enabled location/>}),
   *     e.g. the region's public name; empty lets them reconnect as they did
   */
  public record Settings(Duration maxResumeWindow, OutboundQueue.Limits queueLimits,
      Optional<String> location) {

    /** Five minutes, 1000 stanzas / 1 MiB, no location. */
    public static final Settings DEFAULTS =
        new Settings(Duration.ofMinutes(5), OutboundQueue.Limits.DEFAULTS, Optional.empty());

    public Settings {
      requireNonNull(maxResumeWindow, "maxResumeWindow");
      requireNonNull(queueLimits, "queueLimits");
      requireNonNull(location, "location");
      if (maxResumeWindow.toSeconds() < 1) {
        throw new IllegalArgumentException("sm.maxResumeWindow: at least one second");
      }
    }
  }

  /**
   * The answer to {@code <enable/>}.
   *
   * @param enabled what to send
   * @param session the stored state when the stream is resumable, held under its lease
   */
  public record Enabling(StreamManagement.Enabled enabled, Optional<ResumableSession> session) {
    public Enabling {
      requireNonNull(enabled, "enabled");
      requireNonNull(session, "session");
    }
  }

  /**
   * How long a resumption waits at most for the connection it resumes to finish what its client
   * sent before it was lost (messages being stored), and how often it looks.
   */
  static final Duration FINISHING_WAIT = Duration.ofSeconds(5);
  static final Duration FINISHING_POLL = Duration.ofMillis(20);

  /** The answer to {@code <resume/>}. */
  public sealed interface Outcome permits Accepted, Refused {}

  /**
   * The stream is resumed: hand-over of the state the new connection continues with.
   *
   * @param session the stored state, already saved under its new lease
   * @param queue the stanzas still unacknowledged, which are exactly {@code resend}
   * @param inbound the server's count of stanzas handled from the client
   * @param resumed what to send first
   * @param resend to send right after {@code resumed}, in order; they are queued and stored
   *     already, so they are neither added to {@code queue} nor appended to the store again
   * @param acknowledged the stanzas the client's {@code h} acknowledged (§5: as an {@code <a/>}
   *     would), oldest first: what their acknowledgement settles is still to be done
   */
  public record Accepted(ResumableSession session, OutboundQueue queue, AckCounter inbound,
      StreamManagement.Resumed resumed, List<XmlElement> resend, List<XmlElement> acknowledged)
      implements Outcome {
    public Accepted {
      requireNonNull(session, "session");
      requireNonNull(queue, "queue");
      requireNonNull(inbound, "inbound");
      requireNonNull(resumed, "resumed");
      resend = List.copyOf(resend);
      acknowledged = List.copyOf(acknowledged);
    }
  }

  /**
   * Not resumed; the client may bind a resource on this stream instead (§5).
   *
   * @param failed what to send
   */
  public record Refused(StreamManagement.Failed failed) implements Outcome {
    public Refused {
      requireNonNull(failed, "failed");
    }
  }

  private final ResumptionStore store;
  private final Settings settings;

  public Resumption(ResumptionStore store, Settings settings) {
    this.store = requireNonNull(store, "store");
    this.settings = requireNonNull(settings, "settings");
  }

  public Settings settings() {
    return settings;
  }

  /** Where resumable state lives; the session writes each stanza's bookkeeping to it. */
  public ResumptionStore store() {
    return store;
  }

  /** A new SM-ID: 192 random bits, URL-safe, so also safe as a Redis hash tag. */
  public static String newId() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * XEP-0198 §3, §5: enables stream management on a bound stream. A resumable stream gets an
   * SM-ID and a resumption time of at most {@link Settings#maxResumeWindow}, and its state is
   * saved; if the store cannot save it, the stream gets acks without resumption.
   */
  public CompletionStage<Enabling> enable(StreamManagement.Enable request, String ownerBareJid,
      String fullJid) {
    requireNonNull(request, "request");
    requireNonNull(ownerBareJid, "ownerBareJid");
    requireNonNull(fullJid, "fullJid");
    if (!request.resume()) {
      return CompletableFuture.completedFuture(
          new Enabling(StreamManagement.Enabled.withoutResumption(), Optional.empty()));
    }
    long maxSeconds = settings.maxResumeWindow().toSeconds();
    long seconds = Math.max(1, Math.min(request.max().orElse(maxSeconds), maxSeconds));
    ResumableSession session = ResumableSession.enabled(newId(), ownerBareJid, fullJid,
        Duration.ofSeconds(seconds));
    return store.save(session).handle((saved, error) -> {
      if (error != null) {
        log.warn("stream of {} not resumable: the resumption store failed", fullJid, error);
        return new Enabling(StreamManagement.Enabled.withoutResumption(), Optional.empty());
      }
      return new Enabling(new StreamManagement.Enabled(Optional.of(session.id()), true,
          OptionalLong.of(seconds), settings.location()), Optional.of(session));
    });
  }

  /**
   * XEP-0198 §5: resumes the stream {@code request.previd()} of {@code ownerBareJid}, the user
   * this stream authenticated as. The state is claimed from the store (no other edge can resume
   * it too, and the connection that held it can no longer write it), the client's {@code h}
   * settles what it received, and the rest is to be sent again.
   *
   * <p>Refused with {@code <item-not-found/>} for an unknown, expired, already resumed or other
   * user's SM-ID; with {@code <undefined-condition/>} and the server's {@code h} when the client's
   * {@code h} acknowledges stanzas never sent (§4), the state being dropped; with {@code
   * <internal-server-error/>} when the store fails.
   */
  public CompletionStage<Outcome> resume(StreamManagement.Resume request, String ownerBareJid) {
    requireNonNull(request, "request");
    requireNonNull(ownerBareJid, "ownerBareJid");
    return whenFinished(request.previd(), System.nanoTime() + FINISHING_WAIT.toNanos())
        .thenCompose(v -> store.take(request.previd(), ownerBareJid))
        .thenCompose(taken -> taken.isPresent()
            ? accept(taken.get(), request.h())
            : CompletableFuture.<Outcome>completedFuture(
                new Refused(StreamManagement.Failed.of(StanzaErrorCondition.ITEM_NOT_FOUND))))
        .exceptionally(error -> {
          log.warn("resumption of a stream of {} failed in the store", ownerBareJid, error);
          return new Refused(StreamManagement.Failed.of(StanzaErrorCondition.INTERNAL_SERVER_ERROR));
        });
  }

  /**
   * Completes once the connection that held {@code id} is no longer {@linkplain
   * ResumptionStore#finishing finishing} what its client sent before it was lost, or at {@code
   * deadline} (a holder that died meanwhile never detaches): the resumption's {@code h} then
   * counts those stanzas.
   */
  private CompletionStage<Void> whenFinished(String id, long deadline) {
    return store.isFinishing(id).handle((finishing, error) -> error == null && finishing)
        .thenCompose(finishing -> !finishing || System.nanoTime() > deadline
            ? CompletableFuture.<Void>completedFuture(null)
            : CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                FINISHING_POLL.toMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(v -> whenFinished(id, deadline)));
  }

  private CompletionStage<Outcome> accept(ResumableSession taken, long clientH) {
    OutboundQueue stored = OutboundQueue.resumed(settings.queueLimits(), taken.outboundAcked(),
        taken.unacked());
    if (AckCounter.distance(stored.acked(), clientH) > stored.size()) {
      // Outside [acked, sent]: stanzas never sent, or an h going backwards.
      return CompletableFuture.completedFuture(new Refused(new StreamManagement.Failed(
          OptionalLong.of(taken.inboundHandled()),
          Optional.of(StanzaErrorCondition.UNDEFINED_CONDITION))));
    }
    List<String> sent = stored.unacked();
    int acked;
    try {
      acked = stored.ack(clientH);
    } catch (HandledCountTooHighException e) {
      throw new IllegalStateException("h was checked against the queue", e);
    }
    List<XmlElement> acknowledged = new ArrayList<>();
    for (String xml : sent.subList(0, acked)) {
      parse(xml, taken).ifPresent(acknowledged::add);
    }
    List<XmlElement> resend = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (String xml : stored.unacked()) {
      Optional<XmlElement> stanza = parse(xml, taken);
      // One that does not parse is counted neither here nor by the client: both h stay in step.
      stanza.ifPresent(resend::add);
      stanza.ifPresent(s -> kept.add(xml));
    }
    OutboundQueue queue = OutboundQueue.resumed(settings.queueLimits(), stored.acked(), kept);
    ResumableSession resumed = new ResumableSession(taken.id(), taken.ownerBareJid(),
        taken.fullJid(), taken.lease(), taken.inboundHandled(), queue.acked(), kept,
        taken.resumeWindow(), taken.carbons(), taken.presence());
    return store.save(resumed).thenApply(saved -> new Accepted(resumed, queue,
        new AckCounter(taken.inboundHandled()),
        new StreamManagement.Resumed(taken.id(), taken.inboundHandled()), resend, acknowledged));
  }

  private static Optional<XmlElement> parse(String xml, ResumableSession of) {
    try {
      return Optional.of(Xml.parse(xml));
    } catch (IllegalArgumentException e) {
      log.warn("dropping a stored stanza of {} that does not parse: {}", of.fullJid(),
          e.getMessage());
      return Optional.empty();
    }
  }
}

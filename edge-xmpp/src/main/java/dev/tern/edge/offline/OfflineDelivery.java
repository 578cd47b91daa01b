package dev.tern.edge.offline;

import dev.tern.edge.carbons.CarbonsSession;
import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.session.LocalSessions;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;
import dev.tern.edge.session.SessionState;
import dev.tern.edge.sm.ManagedStream;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's stored messages: live deliveries, and replays of the unread queue in order with
 * live deliveries held meanwhile, so none overtakes an older message of its chat. A message
 * leaves the queue when the client acknowledges it (XEP-0198 ack or XEP-0184 receipt).
 */
public final class OfflineDelivery implements SessionModule {

  private static final Logger log = LoggerFactory.getLogger(OfflineDelivery.class);
  /** A client that neither enables stream management nor sends presence gets its queue then. */
  private static final Duration FALLBACK = Duration.ofSeconds(2);
  /** How long after binding the recent part of the unread queue is read again. */
  private static final Duration REPLICATION_GRACE = Duration.ofSeconds(3);
  /**
   * A later replay of the unread queue starts this long before the newest message written, for
   * messages of other chats stored by other routers a moment earlier (clocks, not order).
   */
  private static final Duration REPLAY_MARGIN = Duration.ofSeconds(2);
  /** How many stanza-ids of delivered messages a session remembers to drop repeats. */
  private static final int RECENT_DELIVERIES = 1024;

  private final Session session;
  private final EdgeMessaging messaging;
  private final LocalSessions sessions;
  /** When the newest stored message this session wrote was stored; null before the first. */
  private @Nullable Instant newestWritten;
  /** Whether this session began delivering its unread queue. */
  private boolean started;
  /** Whether a replay read the unread queue to its end with nothing left to it since. */
  private boolean caughtUp;
  /** A late-replication sweep waiting for the replay under way (from when); null if none. */
  private @Nullable Instant sweepSince;
  /** Whether stored messages were left to the unread queue because the socket was full. */
  private boolean leftToQueue;
  /** Live deliveries held while the unread queue is replayed; null when none is. */
  private @Nullable List<EdgeMessaging.Delivery> heldLive;
  /** Stanza-ids of the stored messages this session sent lately: a repeat is not sent again. */
  private final RecentIds delivered = new RecentIds(RECENT_DELIVERIES);

  OfflineDelivery(Session session, EdgeMessaging messaging, LocalSessions sessions) {
    this.session = session;
    this.messaging = messaging;
    this.sessions = sessions;
  }

  private Optional<ManagedStream> sm() {
    return session.module(ManagedStream.class);
  }

  /** After binding (or resuming): receive the user's messages here, and what waited. */
  @Override
  public void bound() {
    Jid bare = session.boundJid().bare();
    messaging.online(bare.toString(),
        d -> {
          Set<? extends Session> here = sessions.sessionsOf(bare);
          here.forEach(s -> s.module(OfflineDelivery.class).ifPresent(o -> o.deliver(d)));
          return !here.isEmpty();
        },
        p -> sessions.pass(bare, p));
    // Live deliveries wait for what was queued before them; the queue itself is delivered once
    // the client is ready for it, as ejabberd and Prosody deliver offline messages.
    heldLive = new ArrayList<>();
    if (sm().map(ManagedStream::enabled).orElse(false)) {
      clientReady(); // a resumed stream, or stream management enabled with Bind 2
    } else {
      session.executor().schedule(this::clientReady, FALLBACK.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Delivers the unread queue, once per session: when the client enabled stream management
   * (so each message leaves the queue when acknowledged), sent its initial presence (RFC 6121
   * §4.2), or after {@link #FALLBACK} for a client that does neither.
   */
  @Override
  public void clientReady() {
    if (started || session.state() != SessionState.BOUND) {
      return;
    }
    started = true;
    Jid bare = session.boundJid().bare();
    deliverUnread(bare, Optional.empty(), true); // live deliveries are held since binding
    sweepLateReplication(bare);
  }

  @Override
  public void closed(Ending ending) {
    Optional<Jid> jid = session.jid();
    if (jid.isPresent() && sessions.sessionsOf(jid.get().bare()).isEmpty()) {
      messaging.offline(jid.get().bare().toString()); // the user's last session here
    }
  }

  /** A stored message for this session's user: sent on the session's event loop. */
  public void deliver(EdgeMessaging.Delivery delivery) {
    session.executor().execute(() -> deliverNow(delivery));
  }

  private void deliverNow(EdgeMessaging.Delivery d) {
    if (session.state() != SessionState.BOUND) {
      return;
    }
    Jid self = session.boundJid();
    Runnable whenAcked = () -> messaging.delivered(self.bare().toString(), d.chat(), d.seq());
    if (sm().map(sm -> sm.claimResumed(d.stanzaId(), whenAcked)).orElse(false)) {
      // The stream this session resumed had sent it: acknowledged by the resume's h (XEP-0198
      // §5), or sent again by the resumption. Either way it is not written again.
      delivered.add(d.stanzaId());
      return;
    }
    // While older messages wait to be replayed, a newer one waits with them (order per chat).
    if (leftToQueue || !roomToDeliver()) {
      // Past the socket's high-water mark, or half the stream-management queue unacknowledged:
      // rather than grow this edge's memory for a client that does not keep up, the message is
      // left where it is durable, the unread queue (nothing acked it), and replayed in order
      // when the socket drains or acks come.
      leftToQueue = true;
      caughtUp = false;
      session.listener().deliveryLeftToQueue(session.transport());
      sm().ifPresent(ManagedStream::askForAck); // the room comes back with the client's ack
      return;
    }
    if (!d.offline() && heldLive != null) {
      heldLive.add(d); // after the replay of the queue, which may hold older ones of its chat
      return;
    }
    if (!delivered.add(d.stanzaId())) {
      return; // published again (a resend after a router crash) or also read from the queue
    }
    if (newestWritten == null || d.storedAt().isAfter(newestWritten)) {
      newestWritten = d.storedAt();
    }
    XmlElement stored;
    try {
      stored = Xml.parse(d.xml());
    } catch (IllegalArgumentException e) {
      log.warn("a stored message {} does not parse", d.stanzaId(), e);
      return;
    }
    XmlElement.Builder b = stored.toBuilder()
        // XEP-0359: the id the server gave the message, for clients to dedupe redeliveries
        .child(XmlElement.builder("stanza-id", "urn:xmpp:sid:0").attribute("id", d.stanzaId())
            .attribute("by", self.bare().toString()).build());
    if (d.offline()) {
      // XEP-0203: when it was stored, for a message that waited
      b.child(XmlElement.builder("delay", "urn:xmpp:delay")
          .attribute("from", session.domain())
          .attribute("stamp", d.storedAt().toString()).build());
    }
    // XEP-0280 §6: to another resource, a carbons session gets a received copy (or nothing)
    XmlElement message = b.build();
    Optional<XmlElement> out = session.module(CarbonsSession.class)
        .map(c -> c.delivering(message)).orElse(Optional.of(message));
    if (out.isEmpty()) {
      return;
    }
    // It leaves the unread queue only once acknowledged: ask for the ack now.
    session.send(out.get(), whenAcked);
    sm().ifPresent(ManagedStream::askForAck);
  }

  /**
   * Whether a stored message may be written now: the socket is under its high-water mark and
   * stream management has room ({@link ManagedStream#roomForDeliveries()}).
   */
  private boolean roomToDeliver() {
    return session.writable() && sm().map(ManagedStream::roomForDeliveries).orElse(true);
  }

  /**
   * Delivers the whole unread queue in order, holding live deliveries back meanwhile so none
   * overtakes an older message of its chat; the held ones follow (repeats dropped by stanza-id).
   */
  private void replayUnread(Jid bare) {
    if (heldLive != null) {
      return; // a replay is under way; it reads to the end of the queue
    }
    // From a little before the newest message written here (what was skipped since is newer;
    // repeats inside the margin are dropped by stanza-id), or from the start before the first.
    replayFrom(bare, Optional.ofNullable(newestWritten).map(t -> t.minus(REPLAY_MARGIN)));
  }

  /**
   * Delivers the unread queue from the entries stored after {@code since} (all of it if empty)
   * to its end, holding live deliveries until it is done.
   */
  private void replayFrom(Jid bare, Optional<Instant> since) {
    heldLive = new ArrayList<>();
    deliverUnread(bare, since.map(t -> new EdgeMessaging.Delivery("", bare + "/", 0, t, "", true)),
        true);
  }

  private void releaseHeld() {
    List<EdgeMessaging.Delivery> held = heldLive;
    heldLive = null;
    if (held != null) {
      held.forEach(this::deliverNow);
    }
    replayIfDrained();
    maybeSweep();
  }

  /** The socket drained or the client acknowledged: replay what was left to the queue. */
  @Override
  public void roomChanged() {
    replayIfDrained();
    if (leftToQueue) {
      sm().ifPresent(ManagedStream::askForAckSoon); // still no room: ask again shortly
    }
  }

  /** Replays the unread queue if messages were left to it and there is room again. */
  private void replayIfDrained() {
    if (leftToQueue && heldLive == null && roomToDeliver()
        && session.state() == SessionState.BOUND) {
      leftToQueue = false;
      replayUnread(session.boundJid().bare());
    }
  }

  /**
   * This edge's NATS connection came back: deliveries published while it was away never reached
   * it, but they wait in the unread queue, so the queue is replayed.
   */
  @Override
  public void natsReconnected() {
    if (session.state() == SessionState.BOUND) {
      replayUnread(session.boundJid().bare());
    }
  }

  /**
   * A message stored in another region just before this device connected may reach this
   * region's datacenter a moment after the queue was read, and its live delivery may have gone
   * out before this edge subscribed: after {@link #REPLICATION_GRACE} the queue's recent part is
   * read once more and what this session has not had yet is delivered (docs/design/messaging.md).
   */
  private void sweepLateReplication(Jid bare) {
    Instant since = Instant.now().minus(REPLICATION_GRACE.multipliedBy(2));
    session.executor().schedule(() -> {
      if (session.state() == SessionState.BOUND && session.boundJid().bare().equals(bare)) {
        sweepSince = since;
        maybeSweep();
      }
    }, REPLICATION_GRACE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs the pending sweep once no replay is under way and nothing waits for room: it delivers
   * in queue order like a replay (live deliveries held meanwhile), so it never writes a newer
   * message ahead of older ones a replay has yet to write.
   */
  private void maybeSweep() {
    Instant since = sweepSince;
    if (since == null || heldLive != null || leftToQueue || !caughtUp
        || session.state() != SessionState.BOUND) {
      return; // not before the queue was read to its end: it would write newer messages first
    }
    sweepSince = null;
    replayFrom(session.boundJid().bare(), Optional.of(since));
  }

  /** Delivers what waited, batch after batch, in queue order (the next after the last sent). */
  private void deliverUnread(Jid bare, Optional<EdgeMessaging.Delivery> after, boolean replay) {
    messaging.unread(bare.toString(), after).whenComplete((list, error) ->
        session.executor().execute(() -> {
          if (session.state() != SessionState.BOUND) {
            return;
          }
          if (error != null) {
            log.warn("unread messages of {} not read", bare, error);
            if (replay) {
              releaseHeld();
            }
            return;
          }
          list.forEach(this::deliverNow);
          if (leftToQueue) {
            // The socket filled up: reading on would only skip more; the drain replays.
            if (replay) {
              releaseHeld();
            }
            return;
          }
          if (list.size() == EdgeMessaging.BATCH) {
            deliverUnread(bare, Optional.of(list.get(list.size() - 1)), replay);
          } else if (replay) {
            caughtUp = true; // everything queued was written (or dropped as a repeat)
            releaseHeld();
          }
        }));
  }
}

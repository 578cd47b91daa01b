package dev.tern.edge.sm;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.xml.Xml;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The stanzas sent to a client that it has not acknowledged yet (XEP-0198 §4), oldest first, as
 * serialised by {@link Xml}. Until acknowledged, a stanza is the server's
 * responsibility: resent on resumption, or treated as undelivered when the stream is gone.
 *
 * <p>Bounded by {@link Limits}: a client that never acknowledges cannot make the server hold an
 * unbounded backlog. One queue belongs to one stream and its event loop; it is not thread-safe.
 */
public final class OutboundQueue {

  /**
   * @param maxStanzas unacknowledged stanzas at most
   * @param maxBytes UTF-8 bytes of unacknowledged stanzas at most
   */
  public record Limits(int maxStanzas, long maxBytes) {

    /** 1000 stanzas, 1 MiB. */
    public static final Limits DEFAULTS = new Limits(1000, 1024 * 1024);

    public Limits {
      if (maxStanzas < 1 || maxBytes < 1) {
        throw new IllegalArgumentException(
            "stream management queue limits must be positive: " + maxStanzas + ", " + maxBytes);
      }
    }
  }

  private final Limits limits;
  /** Starts small: an idle stream has nothing unacknowledged, and many streams are idle. */
  private final Deque<String> unacked = new ArrayDeque<>(1);
  private long acked;
  /** Stanzas acknowledged so far, without wrapping; capped, it tells a stale h from a bogus one. */
  private long ackedTotal;
  private long bytes;

  /** The queue of a stream that just enabled stream management: nothing sent yet. */
  public OutboundQueue(Limits limits) {
    this.limits = requireNonNull(limits, "limits");
  }

  /**
   * The queue of a resumed stream: the client had acknowledged {@code acked}, and {@code
   * unacked} follow. They are kept even beyond the limits (the limits may have changed since);
   * new stanzas are refused until acks make room.
   */
  public static OutboundQueue resumed(Limits limits, long acked, List<String> unacked) {
    OutboundQueue q = new OutboundQueue(limits);
    q.acked = AckCounter.requireValid(acked);
    q.ackedTotal = Math.min(acked, AckCounter.MODULUS / 2); // as if it never wrapped
    for (String stanza : unacked) {
      q.unacked.addLast(requireNonNull(stanza, "stanza"));
      q.bytes += Xml.utf8Length(stanza);
    }
    return q;
  }

  /**
   * Queues a stanza that is about to be sent; returns the {@code h} by which the client
   * acknowledges it.
   *
   * @throws OutboundQueueFullException if the limits leave no room; nothing was queued
   */
  public long add(String stanzaXml) throws OutboundQueueFullException {
    requireNonNull(stanzaXml, "stanzaXml");
    if (unacked.size() >= limits.maxStanzas()) {
      throw new OutboundQueueFullException(
          "more than " + limits.maxStanzas() + " stanzas unacknowledged");
    }
    long size = Xml.utf8Length(stanzaXml);
    if (bytes + size > limits.maxBytes()) {
      throw new OutboundQueueFullException(
          "more than " + limits.maxBytes() + " bytes of stanzas unacknowledged");
    }
    unacked.addLast(stanzaXml);
    bytes += size;
    return sent();
  }

  /**
   * The client says it handled {@code h} stanzas (XEP-0198 §4): drops those now acknowledged and
   * returns how many that is. An {@code h} the client had already gone past is stale and changes
   * nothing.
   *
   * @throws HandledCountTooHighException if {@code h} acknowledges stanzas never sent
   */
  public int ack(long h) throws HandledCountTooHighException {
    AckCounter.requireValid(h);
    long forward = AckCounter.distance(acked, h);
    if (forward <= unacked.size()) {
      for (long i = 0; i < forward; i++) {
        bytes -= Xml.utf8Length(unacked.removeFirst());
      }
      acked = h;
      ackedTotal = Math.min(ackedTotal + forward, AckCounter.MODULUS / 2);
      return (int) forward;
    }
    if (AckCounter.distance(h, acked) <= ackedTotal) {
      return 0;
    }
    throw new HandledCountTooHighException(h, sent());
  }

  /** The {@code h} of the last stanza sent: what the client says once it has everything. */
  public long sent() {
    return AckCounter.add(acked, unacked.size());
  }

  /** The client's last {@code h}. */
  public long acked() {
    return acked;
  }

  public int size() {
    return unacked.size();
  }

  /** UTF-8 bytes of the unacknowledged stanzas. */
  public long bytes() {
    return bytes;
  }

  /** The unacknowledged stanzas, oldest first. */
  public List<String> unacked() {
    return List.copyOf(unacked);
  }

  public Limits limits() {
    return limits;
  }
}

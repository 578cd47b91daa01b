package dev.tern.edge.session;

import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A feature module's part of one session: the hooks a XEP fills in, all called on the session's
 * event loop except {@link #passing}. Modules are asked in the order of the edge's {@link ModuleRegistry}, as
 * Prosody runs hooks by priority and ejabberd its {@code user_send_packet} chain.
 */
public interface SessionModule {

  /** The part of a module that keeps nothing per session. */
  SessionModule NONE = new SessionModule() {};

  /** How a session ended, for modules that keep state beyond it. */
  enum Ending {
    /** Either side closed the stream or sent a stream error: nothing is resumable. */
    ON_PURPOSE,
    /** The connection was lost: XEP-0198 state stays resumable for its window. */
    LOST,
    /** The stream was resumed on another connection, which owns the session now. */
    RESUMED_ELSEWHERE
  }

  /** Stream features this module offers in {@code state} (RFC 6120 §4.3.2). */
  default void features(SessionState state, List<XmlElement> out) {}

  /**
   * A top-level element in one of the namespaces this module's {@code EdgeModule} declared,
   * once TLS is up and the stream authenticated (or, for negotiation, whenever it comes).
   */
  default void nonza(XmlElement element) {}

  /**
   * A stanza from the bound client, {@code from} stamped and {@code to} valid, before any
   * module's {@link #inbound}: returns it as the modules, the routers and the recipient are to
   * see it, e.g. without the XEP-0359 stanza-ids only the server may set (as ejabberd's
   * {@code user_send_packet} hooks fold over the packet). Every module's filter runs, in order.
   */
  default XmlElement filter(XmlElement stanza) {
    return stanza;
  }

  /**
   * A stanza from the bound client, {@code from} stamped and {@code to} valid: returns null to
   * leave it to the next module, or a future that completes once the server took
   * responsibility for it (a message once stored: persist before ack).
   */
  default @Nullable CompletableFuture<?> inbound(XmlElement stanza) {
    return null;
  }

  /** A message of this client was accepted: stored, or passed on unstored. */
  default void accepted(XmlElement message) {}

  /** Every stanza received, in order, with the future of its handling (XEP-0198 counts them). */
  default void received(CompletableFuture<?> handled) {}

  /**
   * A stanza on its way to the client: returns true if this module writes it itself (XEP-0198
   * queues it, stored, before the wire).
   */
  default boolean outbound(XmlElement stanza, @Nullable Runnable whenAcked) {
    return false;
  }

  /**
   * Completes once every stanza this module took in {@link #outbound} so far is on the wire
   * (XEP-0198 writes each after storing it); done at once for a module that writes none.
   */
  default CompletableFuture<?> pendingWrites() {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * A stanza stored nowhere passing to this session (presence, roster pushes, carbons, IQs
   * between users), on a NATS thread: returns {@link Pass#NOT_MINE} to leave it to the next
   * module.
   */
  default Pass passing(XmlElement stanza, String toJid) {
    return Pass.NOT_MINE;
  }

  /** What a module did with a passing stanza. */
  enum Pass {
    NOT_MINE,
    /** Delivered to this session. */
    TAKEN,
    /** Meant for this module, but not for this session (e.g. carbons disabled). */
    REFUSED
  }

  /** The stream is bound (or resumed) and its binding answered: deliveries may start. */
  default void bound() {}

  /** The client is ready for what waited (stream management enabled, initial presence). */
  default void clientReady() {}

  /** There may be room for more deliveries: the socket drained, or the client acknowledged. */
  default void roomChanged() {}

  /** What a resumed stream takes over changed (XEP-0198 §5: the session's state). */
  default void resumableStateChanged() {}

  /**
   * This stream took over a stored session (XEP-0198 §5) whose last available presence was
   * {@code presence} (serialised; empty for none): what the session had goes on.
   */
  default void resumed(String presence) {}

  /** This edge's NATS connection came back after an outage. */
  default void natsReconnected() {}

  /** The connection is gone. */
  default void closed(Ending ending) {}
}

package dev.tern.directory.sm;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The part of a managed stream that outlives its edge (XEP-0198 §5): counters and unacknowledged
 * stanzas, shared by the edges of a region so that a client may resume on any of them.
 *
 * <p><b>Leases.</b> Exactly one connection holds a session: the one that saved it. Every write
 * names its lease and changes nothing when another lease holds the session, completing with
 * {@code false}; that is how an edge whose client resumed elsewhere learns it must close its
 * stream with {@code <conflict/>} (XEP-0198 §5). {@link #take} hands the state to a new connection
 * under a new lease.
 *
 * <p><b>Expiry.</b> While its connection lives, a session expires {@code resumeWindow} plus the
 * store's grace after its last write or {@link #refresh}, so that the state of an edge that died
 * without a word still lasts at least {@code resumeWindow}. After {@link #detach} it expires
 * exactly {@code resumeWindow} later.
 *
 * <p><b>Order.</b> Calls for one session id take effect in the order they were made, so an edge
 * may fire them without waiting. A stage completes exceptionally only when the back-end could
 * not answer; the edge should then stop offering resumption for that stream (remove it, or
 * {@link #save} a fresh snapshot), because the stored list may have missed a stanza.
 */
public interface ResumptionStore {

  /**
   * Stores {@code session} under its lease, replacing what that lease stored before (all its
   * unacked stanzas too). Completes exceptionally with {@link IllegalStateException} if another
   * lease holds the id.
   */
  CompletionStage<Void> save(ResumableSession session);

  /**
   * Claims the session {@code id} of {@code ownerBareJid} atomically: the state is removed from
   * the store and returned under a new lease, so that of two edges racing to resume the same
   * stream only one gets it, and the connection that held it can no longer write. Empty if there
   * is no such session, it expired, it was already taken, or it belongs to another user (which
   * is not told apart, so the client gets {@code <item-not-found/>} for all of them, XEP-0198
   * §5); a session of another user is left untouched.
   *
   * <p>The new holder then {@link #save}s the resumed state under the returned lease.
   */
  CompletionStage<Optional<ResumableSession>> take(String id, String ownerBareJid);

  /** Appends a stanza just sent to the client to the unacked ones. False: not held by lease. */
  CompletionStage<Boolean> appendUnacked(String id, String lease, String stanzaXml);

  /**
   * The client acknowledged {@code h} (XEP-0198 §4): drops the unacked stanzas up to it. The
   * edge checks {@code h} first (a too high {@code h} ends the stream); an {@code h} behind the
   * stored one changes nothing. False: not held by lease.
   */
  CompletionStage<Boolean> ack(String id, String lease, long h);

  /** The server has now handled {@code inboundHandled} stanzas from the client. False: not held. */
  CompletionStage<Boolean> handled(String id, String lease, long inboundHandled);

  /**
   * The session's carbons setting and last available presence (serialised; empty for none), which
   * a resumed session takes over. False: not held by lease.
   */
  CompletionStage<Boolean> sessionState(String id, String lease, boolean carbons, String presence);

  /** Keeps a live but quiet session from expiring. False: not held by lease. */
  CompletionStage<Boolean> refresh(String id, String lease);

  /**
   * The connection is gone: the session stays resumable for its {@code resumeWindow}, then
   * expires; no lease holds it any longer, and it is no longer {@link #finishing}. False: not
   * held by lease.
   */
  CompletionStage<Boolean> detach(String id, String lease);

  /**
   * The connection was lost while stanzas the client sent before were still being handled: its
   * holder will store their count ({@link #handled}) and then {@link #detach}. Until then {@link
   * #isFinishing} is true, and a resumption waits for it, so that the {@code h} it answers counts
   * them (XEP-0198 §5). False: not held by lease.
   */
  CompletionStage<Boolean> finishing(String id, String lease);

  /** Whether the session's holder said it is {@link #finishing} and has not detached it yet. */
  CompletionStage<Boolean> isFinishing(String id);

  /**
   * Ends the session for good, e.g. when the client closed its stream cleanly (XEP-0198 §7: only
   * an unfinished stream is kept for resumption). Does nothing unless held by {@code lease}.
   */
  CompletionStage<Void> remove(String id, String lease);
}

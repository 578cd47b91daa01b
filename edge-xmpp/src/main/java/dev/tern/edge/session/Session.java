package dev.tern.edge.session;

import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import io.netty.util.concurrent.EventExecutor;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One client stream as the feature modules see it: its state, its address, and the ways to
 * answer. Everything but {@link #sendFromAnyThread} is called on the session's event loop
 * ({@link #executor()}), where the session and its modules live.
 */
public interface Session {

  SessionState state();

  /** The bound full JID, once resource binding succeeded (RFC 6120 §7). */
  Optional<Jid> jid();

  /** The bound full JID; only while {@link #state()} is {@link SessionState#BOUND}. */
  default Jid boundJid() {
    return jid().orElseThrow(() -> new IllegalStateException("no resource bound"));
  }

  /** The authenticated user's local part, once SASL succeeded. */
  Optional<String> username();

  /** The XMPP domain this edge serves. */
  String domain();

  SessionListener.Transport transport();

  SessionListener listener();

  /** The event loop of this session. */
  EventExecutor executor();

  /** Whether the socket takes more without queueing past its high-water mark. */
  boolean writable();

  /** TLS, or a WebSocket (loopback, or behind a TLS proxy). */
  boolean secure();

  /** Sends a stanza to the client, through the outbound hooks (XEP-0198 counts it). */
  default void send(XmlElement stanza) {
    send(stanza, null);
  }

  /**
   * Sends a stanza; {@code whenAcked} runs once the client acknowledged it (XEP-0198 §4), or
   * never without stream management.
   */
  void send(XmlElement stanza, @Nullable Runnable whenAcked);

  /** {@link #send} from any thread: hops to the event loop, dropped once the stream ended. */
  void sendFromAnyThread(XmlElement stanza);

  /** Writes a top-level element that is not a stanza (features, SM nonzas): never counted. */
  void write(XmlElement nonza);

  /** The stanza error answering {@code stanza} (RFC 6120 §8.3). */
  void replyError(XmlElement stanza, StanzaErrorCondition condition, String text);

  /** Ends the stream with an error (RFC 6120 §4.9). */
  void streamError(StreamErrorCondition condition, String text);

  /** Ends the stream with a ready-made {@code <stream:error/>}. */
  void streamError(XmlElement error);

  /**
   * Binds {@code fullJid} to this session without the bind IQ (SASL2's Bind 2, a resumed
   * stream): a session bound to it before is replaced (RFC 6120 §7.7.2.2).
   */
  void bindTo(Jid fullJid);

  /**
   * Tells the modules the stream is bound and ready ({@link SessionModule#bound()}); called once
   * the answer that bound it went out.
   */
  void announceBound();

  /** The stream was resumed on another connection, which now holds the session. */
  void takenOver();

  /**
   * The client is ready for what waited: it enabled stream management or sent its initial
   * presence (RFC 6121 §4.2). Tells the modules ({@link SessionModule#clientReady()}).
   */
  void clientReady();

  /**
   * A message from this client was accepted: stored, or passed on unstored (XEP-0085). Tells
   * the modules ({@link SessionModule#accepted}), e.g. for the carbons of XEP-0280.
   */
  void accepted(XmlElement message);

  /** There may be room for more deliveries: the socket drained, or the client acknowledged. */
  void roomChanged();

  /** What a resumed stream takes over (carbons, presence) changed: the modules keep it. */
  void resumableStateChanged();

  /** This stream resumed a stored session whose last presence was {@code presence}. */
  void resumed(String presence);

  /** This session's part of module {@code type}, if that module is installed. */
  <T extends SessionModule> Optional<T> module(Class<T> type);
}

package dev.tern.edge.session;

import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stanzas one client sends, taking effect in the order received (RFC 6120 §10.1) without
 * waiting for each to be handled in turn. A message goes to the routers at once, also while the
 * ones before it are still being stored (the chat's sequencer numbers them in the order they
 * arrive, which is the order sent). Any other stanza waits until everything before it is handled:
 * a ping sent after 50 messages is answered once they are stored. Whatever arrives after a
 * waiting stanza waits behind it, messages too, so there is one order.
 *
 * <p>It also bounds what a client may have in flight: with {@code limit} stanzas received and
 * not yet handled, its connection is not read (TCP flow control slows it) until half of them
 * are. Nothing is refused for that, so nothing is sent twice because of it.
 *
 * <p>The client's closing of its stream waits its turn too. A stanza still waiting when the
 * connection is lost or the stream ends in an error is dropped, never dispatched: its handling
 * never completes, so XEP-0198 does not count it and a client that resumes sends it again.
 * Everything here runs on the session's event loop.
 */
final class InboundOrder {

  private static final Logger log = LoggerFactory.getLogger(InboundOrder.class);

  /** A stanza that waits for those before it; {@code handled} is what XEP-0198 was given. */
  private record Waiting(XmlElement stanza, CompletableFuture<Void> handled) {}

  private final Session session;
  private final Function<XmlElement, CompletableFuture<?>> dispatch;
  private final Consumer<Boolean> reading;
  private final int limit;
  /** Made when a stanza first waits: most streams never need it. */
  private @Nullable ArrayDeque<Waiting> waiting;
  /** Dispatched and not yet handled, messages and the rest. */
  private int messagesInFlight;
  private int othersInFlight;
  /** Received and not yet handled: waiting or in flight. */
  private int unhandled;
  private boolean readingHeld;
  /** The client's closing of its stream, once what it sent before it went. */
  private @Nullable Runnable close;

  /**
   * @param dispatch handles a stanza; its future completes once the server took responsibility
   * @param reading stops ({@code false}) or resumes ({@code true}) reading the connection
   * @param limit how many stanzas may be received and not yet handled before reading stops
   */
  InboundOrder(Session session, Function<XmlElement, CompletableFuture<?>> dispatch,
      Consumer<Boolean> reading, int limit) {
    this.session = session;
    this.dispatch = dispatch;
    this.reading = reading;
    this.limit = limit;
  }

  /**
   * Takes a stanza the client sent: dispatched now, or once those before it allow. Returns the
   * future of its handling, for XEP-0198 to count.
   */
  CompletableFuture<?> receive(XmlElement stanza) {
    unhandled++;
    if (unhandled >= limit && !readingHeld) {
      readingHeld = true;
      reading.accept(false);
    }
    if (nothingWaits() && mayGo(stanza)) {
      return dispatch(stanza);
    }
    if (waiting == null) {
      waiting = new ArrayDeque<>(4);
    }
    CompletableFuture<Void> handled = new CompletableFuture<>();
    waiting.add(new Waiting(stanza, handled));
    return handled;
  }

  /** The client closed its stream: {@code close} runs once what it sent before went too. */
  void close(Runnable close) {
    this.close = close;
    if (nothingWaits()) {
      closeNext();
    }
  }

  /** Whether the client closed its stream and the closing waits: nothing more is taken. */
  boolean closing() {
    return close != null;
  }

  /** A message may overtake messages still being stored; anything else overtakes nothing. */
  private boolean mayGo(XmlElement stanza) {
    return isMessage(stanza) ? othersInFlight == 0 : messagesInFlight + othersInFlight == 0;
  }

  private CompletableFuture<?> dispatch(XmlElement stanza) {
    boolean message = isMessage(stanza);
    if (message) {
      messagesInFlight++;
    } else {
      othersInFlight++;
    }
    CompletableFuture<?> handled = dispatch.apply(stanza);
    if (handled.isDone()) {
      handled(message);
    } else {
      handled.whenComplete((v, e) -> session.executor().execute(() -> {
        handled(message);
        next();
      }));
    }
    return handled;
  }

  private void handled(boolean message) {
    if (message) {
      messagesInFlight--;
    } else {
      othersInFlight--;
    }
    unhandled--;
    if (readingHeld && unhandled <= limit / 2 && session.state() != SessionState.CLOSED) {
      readingHeld = false;
      reading.accept(true);
    }
  }

  /** Dispatches what waited and may go now, in order; then the closing, if it waited. */
  private void next() {
    ArrayDeque<Waiting> queue = waiting;
    while (queue != null && !queue.isEmpty() && session.state() != SessionState.CLOSED
        && mayGo(queue.peek().stanza())) {
      Waiting w = queue.poll();
      CompletableFuture<?> handled;
      try {
        handled = dispatch(w.stanza());
      } catch (RuntimeException e) {
        log.warn("a stanza of {} failed", session.jid().map(Object::toString).orElse("?"), e);
        session.streamError(StreamErrorCondition.INTERNAL_SERVER_ERROR, "");
        return;
      }
      handled.whenComplete((v, e) -> w.handled().complete(null));
    }
    if (close != null && nothingWaits() && session.state() != SessionState.CLOSED) {
      closeNext();
    }
  }

  /** In a task of its own: answers already on their way (an IQ handler's) are written first. */
  private void closeNext() {
    session.executor().execute(() -> {
      Runnable c = close;
      close = null;
      if (c != null && session.state() != SessionState.CLOSED) {
        c.run();
      }
    });
  }

  private boolean nothingWaits() {
    return waiting == null || waiting.isEmpty();
  }

  private static boolean isMessage(XmlElement stanza) {
    return stanza.name().equals("message");
  }
}

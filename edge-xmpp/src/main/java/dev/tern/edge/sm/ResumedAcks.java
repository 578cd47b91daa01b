package dev.tern.edge.sm;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The stored messages a resumed stream's predecessor had sent, by their XEP-0359 stanza-id:
 * those the resume's {@code h} acknowledged (XEP-0198 §5) and those sent again, awaiting an ack.
 * What an ack of them does (the message leaves the unread queue) was held by the lost connection,
 * perhaps on another edge; the module that delivers stored messages meets them again when it reads
 * the unread queue, {@link #claim}s each, and has its action run once the client acknowledged it.
 * One per resumed stream, confined to its event loop.
 */
final class ResumedAcks {

  /** A stanza of the resumed stream: acknowledged yet or not, and what runs when it is. */
  static final class Entry implements Runnable {
    private boolean acked;
    private @Nullable Runnable then;

    /** The client acknowledged the stanza. */
    @Override
    public void run() {
      acked = true;
      Runnable action = then;
      then = null;
      if (action != null) {
        action.run();
      }
    }
  }

  private final Map<String, Entry> byStanzaId = new HashMap<>();

  /** A stanza the resume's {@code h} acknowledged. */
  void acknowledged(String stanzaId) {
    Entry entry = new Entry();
    entry.run();
    byStanzaId.put(stanzaId, entry);
  }

  /** A stanza sent again: the returned entry is to run when the client acknowledges it. */
  Entry resent(String stanzaId) {
    Entry entry = new Entry();
    byStanzaId.put(stanzaId, entry);
    return entry;
  }

  /**
   * Whether {@code stanzaId} was sent by the resumed stream; if so, {@code whenAcked} runs once
   * the client acknowledged it: now if it did already. A stanza is claimed once.
   */
  boolean claim(String stanzaId, Runnable whenAcked) {
    Entry entry = byStanzaId.remove(stanzaId);
    if (entry == null) {
      return false;
    }
    if (entry.acked) {
      whenAcked.run();
    } else {
      entry.then = whenAcked;
    }
    return true;
  }
}

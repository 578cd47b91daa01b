package dev.tern.edge.sm;

/**
 * A stanza could not be queued: the client leaves too many stanzas unacknowledged. The stanza
 * was not queued and must not be sent; the stream should end with {@code <resource-constraint/>}
 * (RFC 6120 §4.9.3.17), and its unacknowledged stanzas be treated as undelivered (XEP-0198 §4).
 */
public final class OutboundQueueFullException extends Exception {

  public OutboundQueueFullException(String message) {
    super(message, null, false, false);
  }
}

package dev.tern.edge.session;

/** Where a stream is in its life: RFC 6120 §4 (header), §5–§6 (negotiation), §7 (binding). */
public enum SessionState {
  /** Nothing received yet: the client's stream header comes first. */
  AWAIT_HEADER,
  /** STARTTLS and SASL (or SASL2) may run; only registration IQs are stanzas here. */
  NEGOTIATING,
  /** Authenticated: a resource is bound next, or a stream resumed (XEP-0198 §5). */
  AUTHENTICATED,
  /** A resource is bound: stanzas flow. */
  BOUND,
  /** The stream ended; nothing more is read or written. */
  CLOSED
}

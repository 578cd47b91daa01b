/**
 * An XMPP stream's I/O: writing it (RFC 6120 §4 over TCP/TLS, or RFC 7395 framing over
 * WebSocket) and pausing its reading.
 */
@NullMarked
package dev.tern.edge.stream;

import org.jspecify.annotations.NullMarked;

/** Writing an XMPP stream: RFC 6120 §4 over TCP/TLS, or RFC 7395 framing over WebSocket. */
@NullMarked
package dev.tern.edge.stream;

import org.jspecify.annotations.NullMarked;

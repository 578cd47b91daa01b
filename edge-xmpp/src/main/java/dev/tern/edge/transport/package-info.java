/**
 * The edge's client transports, all ending in the same session: TCP with STARTTLS (RFC 6120),
 * Direct TLS (XEP-0368) and WebSocket (RFC 7395).
 */
@NullMarked
package dev.tern.edge.transport;

import org.jspecify.annotations.NullMarked;

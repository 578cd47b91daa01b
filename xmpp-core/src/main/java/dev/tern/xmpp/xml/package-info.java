/**
 * XMPP's XML layer: the element model, its writer, and the Netty decoders for streams over TCP
 * and WebSocket (RFC 6120 §4 and §11, RFC 7395).
 */
@NullMarked
package dev.tern.xmpp.xml;

import org.jspecify.annotations.NullMarked;

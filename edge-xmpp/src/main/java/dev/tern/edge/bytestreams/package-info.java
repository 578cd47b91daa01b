/**
 * XEP-0065: SOCKS5 Bytestreams, the proxy. Two users' clients that cannot reach each other
 * directly (mobile networks, NAT) both connect to the edge's SOCKS5 listener, and the edge relays
 * between them once the initiator activates the bytestream; file transfer (XEP-0096, XEP-0234)
 * uses it.
 */
@NullMarked
package dev.tern.edge.bytestreams;

import org.jspecify.annotations.NullMarked;

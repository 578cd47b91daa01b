/**
 * SASL authentication of client streams (RFC 6120 §6): SCRAM-SHA-1/-256 with and without
 * channel binding (RFC 5802, RFC 7677, RFC 5929, RFC 9266, XEP-0440) and PLAIN over TLS
 * (RFC 4616).
 */
@NullMarked
package dev.tern.edge.sasl;

import org.jspecify.annotations.NullMarked;

/** The client session: RFC 6120 stream negotiation (TLS, SASL, binding) and stanza handling. */
@NullMarked
package dev.tern.edge.session;

import org.jspecify.annotations.NullMarked;

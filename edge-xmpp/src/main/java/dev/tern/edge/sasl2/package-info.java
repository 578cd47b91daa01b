/**
 * XEP-0388 Extensible SASL Profile (SASL2): its stream feature and elements, parsed and built;
 * the session drives the exchange with the {@code dev.tern.edge.sasl} mechanisms.
 */
@NullMarked
package dev.tern.edge.sasl2;

import org.jspecify.annotations.NullMarked;

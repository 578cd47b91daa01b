/**
 * XEP-0386 Bind 2: resource binding, and the session features enabled with it, requested inline
 * in a SASL2 {@code <authenticate/>}.
 */
@NullMarked
package dev.tern.edge.bind2;

import org.jspecify.annotations.NullMarked;

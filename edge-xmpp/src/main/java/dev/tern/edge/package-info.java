/** The edge: holds client connections and turns them into routing requests (RFC 6120). */
@NullMarked
package dev.tern.edge;

import org.jspecify.annotations.NullMarked;

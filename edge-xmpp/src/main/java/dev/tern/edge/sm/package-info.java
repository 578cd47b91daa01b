/** XEP-0198: Stream Management — stanza acknowledgements and stream resumption. */
@NullMarked
package dev.tern.edge.sm;

import org.jspecify.annotations.NullMarked;

/** XEP-0115: Entity Capabilities, what a client's presence says it can do, checked and cached. */
@NullMarked
package dev.tern.edge.caps;

import org.jspecify.annotations.NullMarked;

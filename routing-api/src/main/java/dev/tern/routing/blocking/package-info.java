/** The NATS wire of XEP-0191 Blocking Command: the edges' block list requests. */
@NullMarked
package dev.tern.routing.blocking;

import org.jspecify.annotations.NullMarked;

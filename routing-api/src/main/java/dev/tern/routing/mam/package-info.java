/** The NATS wire of XEP-0313 Message Archive Management queries and their pages. */
@NullMarked
package dev.tern.routing.mam;

import org.jspecify.annotations.NullMarked;

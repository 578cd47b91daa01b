/** The NATS wire of account removal between edges and routers. */
@NullMarked
package dev.tern.routing.accounts;

import org.jspecify.annotations.NullMarked;

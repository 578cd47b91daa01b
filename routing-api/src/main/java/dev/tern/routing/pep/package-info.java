/** The NATS wire of XEP-0163 Personal Eventing Protocol between edges and routers. */
@NullMarked
package dev.tern.routing.pep;

import org.jspecify.annotations.NullMarked;

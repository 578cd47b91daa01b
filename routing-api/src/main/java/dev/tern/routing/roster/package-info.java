/** The NATS wire of RFC 6121 rosters and presence and of XEP-0012 last activity. */
@NullMarked
package dev.tern.routing.roster;

import org.jspecify.annotations.NullMarked;

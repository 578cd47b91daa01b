/**
 * RFC 6121 rosters, presence subscriptions and presence broadcast, and XEP-0012 last activity:
 * the router's side, reached by the edges over NATS.
 */
@NullMarked
package dev.tern.router.roster;

import org.jspecify.annotations.NullMarked;

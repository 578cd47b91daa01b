/**
 * RFC 6121 §2 roster management at the edge: the {@code jabber:iq:roster} codec and handler,
 * and the NATS client that asks the region's routers for rosters, presence broadcast and
 * subscriptions.
 */
@NullMarked
package dev.tern.edge.roster;

import org.jspecify.annotations.NullMarked;

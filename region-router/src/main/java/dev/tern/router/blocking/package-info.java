/**
 * XEP-0191 Blocking Command on the router: users' block lists cached in front of storage, the
 * verdict on a stanza between two users, and the block list requests of the edges.
 */
@NullMarked
package dev.tern.router.blocking;

import org.jspecify.annotations.NullMarked;

/**
 * Delivery of stored messages to a session: live, and what waited in the unread queue (RFC 6121
 * §8.5.2.1.1 offline storage, in order, with XEP-0203 delay stamps and XEP-0359 stanza-ids).
 */
@NullMarked
package dev.tern.edge.offline;

import org.jspecify.annotations.NullMarked;

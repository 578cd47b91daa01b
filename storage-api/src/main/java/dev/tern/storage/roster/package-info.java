/**
 * The persistence under RFC 6121 rosters and presence subscriptions (with the pending inbound
 * subscription requests that wait for an offline contact) and XEP-0012 last activity.
 */
@NullMarked
package dev.tern.storage.roster;

import org.jspecify.annotations.NullMarked;

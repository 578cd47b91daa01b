/**
 * The router's part of XEP-0163 Personal Eventing Protocol, the profile of XEP-0060
 * Publish-Subscribe that gives every account a pubsub service at its bare JID.
 */
@NullMarked
package dev.tern.router.pep;

import org.jspecify.annotations.NullMarked;

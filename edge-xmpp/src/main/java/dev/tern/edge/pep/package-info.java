/** XEP-0163: Personal Eventing Protocol, every account's pubsub service at its bare JID. */
@NullMarked
package dev.tern.edge.pep;

import org.jspecify.annotations.NullMarked;

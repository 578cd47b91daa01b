/** XEP-0199: XMPP Ping, answered by the server. */
@NullMarked
package dev.tern.edge.ping;

import org.jspecify.annotations.NullMarked;

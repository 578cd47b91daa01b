/** XEP-0359: Unique and Stable Stanza IDs, the ids a client may set and those only the server sets. */
@NullMarked
package dev.tern.edge.sid;

import org.jspecify.annotations.NullMarked;

/** XEP-0191 Blocking Command: the block list IQs of a user's sessions and their pushes. */
@NullMarked
package dev.tern.edge.blocking;

import org.jspecify.annotations.NullMarked;

/** Each user's block list of XEP-0191 Blocking Command: the JIDs the user blocked. */
@NullMarked
package dev.tern.storage.blocking;

import org.jspecify.annotations.NullMarked;

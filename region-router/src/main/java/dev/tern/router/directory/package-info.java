/**
 * The router's view of the global directory: lookups of where a user is connected, kept a few
 * seconds in a near-cache (docs/design/directory.md). Message delivery never depends on it.
 */
@NullMarked
package dev.tern.router.directory;

import org.jspecify.annotations.NullMarked;

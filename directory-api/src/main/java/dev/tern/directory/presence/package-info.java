/**
 * The presence directory: where each user is connected (bare JID → resources, each with its
 * region, edge and since) and when the user was last seen; soft state kept alive by the edges'
 * heartbeats (docs/design/directory.md).
 */
@NullMarked
package dev.tern.directory.presence;

import org.jspecify.annotations.NullMarked;

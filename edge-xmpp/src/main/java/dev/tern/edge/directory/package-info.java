/**
 * The edge's part of the global directory: it registers bound resources, removes them when
 * their sessions end and heartbeats for the process (docs/design/directory.md). Soft state:
 * failures are logged and never touch a session.
 */
@NullMarked
package dev.tern.edge.directory;

import org.jspecify.annotations.NullMarked;

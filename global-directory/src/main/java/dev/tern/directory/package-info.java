/** The global directory on Redis Cluster: where each user is connected. Soft state only. */
@NullMarked
package dev.tern.directory;

import org.jspecify.annotations.NullMarked;

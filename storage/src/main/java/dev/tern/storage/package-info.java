/**
 * Cassandra under Tern's stores: the connection, the schema applied by the program as versioned
 * migrations, and what a failed request means (the stores' interfaces are in tern-storage-api).
 */
@NullMarked
package dev.tern.storage;

import org.jspecify.annotations.NullMarked;

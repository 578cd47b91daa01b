/** Cassandra schema, applied by the program as versioned migrations, and Tern's typed stores. */
@NullMarked
package dev.tern.storage;

import org.jspecify.annotations.NullMarked;

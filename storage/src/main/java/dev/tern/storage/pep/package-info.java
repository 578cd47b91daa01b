/** XEP-0163 PEP nodes and items in Cassandra. */
@NullMarked
package dev.tern.storage.pep;

import org.jspecify.annotations.NullMarked;

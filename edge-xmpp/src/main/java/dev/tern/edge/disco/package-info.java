/** XEP-0030: Service Discovery of the server, built from the registered handlers. */
@NullMarked
package dev.tern.edge.disco;

import org.jspecify.annotations.NullMarked;

/** XEP-0092: Software Version of the server. */
@NullMarked
package dev.tern.edge.version;

import org.jspecify.annotations.NullMarked;

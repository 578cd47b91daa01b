/** A Tern region process: its typed configuration and the wiring of edge and router. */
@NullMarked
package dev.tern.regions;

import org.jspecify.annotations.NullMarked;

/** RFC 6121 §4 presence and §2.1.6 roster pushes, as one session sends and receives them. */
@NullMarked
package dev.tern.edge.presence;

import org.jspecify.annotations.NullMarked;

/** The region router: the stateless part of a region that edges reach over NATS. */
@NullMarked
package dev.tern.router;

import org.jspecify.annotations.NullMarked;

/** IQ handlers registered as data, and the disco features they advertise (RFC 6120 §8.2.3). */
@NullMarked
package dev.tern.edge.iq;

import org.jspecify.annotations.NullMarked;

/**
 * XEP-0198 stream resumption state, kept in the region's Redis Cluster so that a client can
 * resume its stream on any edge of the region, not only on the one that died.
 */
@NullMarked
package dev.tern.directory.sm;

import org.jspecify.annotations.NullMarked;

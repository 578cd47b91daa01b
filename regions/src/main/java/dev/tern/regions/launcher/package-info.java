/**
 * The launcher of a local federation ({@code ./tern}): starts real Cassandra, Redis Cluster, NATS
 * supercluster, S3 store and Tern processes on loopback, tracks them by pid file, stops them.
 */
@NullMarked
package dev.tern.regions.launcher;

import org.jspecify.annotations.NullMarked;

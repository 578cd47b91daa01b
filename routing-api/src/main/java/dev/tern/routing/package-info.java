/**
 * What edges and routers say to each other over NATS: the subjects, headers and payload codecs
 * of messages, receipts and unread batches, refusals, and how a process connects to NATS.
 */
@NullMarked
package dev.tern.routing;

import org.jspecify.annotations.NullMarked;

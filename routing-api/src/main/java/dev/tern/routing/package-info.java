/**
 * What edges and routers say to each other over NATS: the subjects, headers and payload codecs
 * of messages, receipts and unread batches, refusals, and how a process connects to NATS.
 *
 * <p><b>Versions side by side.</b> During an upgrade edges and routers of different versions
 * share a region, so the wire changes only in ways both can read:
 * <ul>
 *   <li>headers are additive: a new fact travels in a new header beside the old ones, which stay
 *       as they were;
 *   <li>a receiver ignores headers it does not know, and when one it wants is absent it falls
 *       back to what it did before the header existed (a router reads the stanza itself when a
 *       request has no {@link dev.tern.routing.MessageFacts}), unless the sender's version
 *       promises the header, in which case absence means "none";
 *   <li>{@link dev.tern.routing.MessageWire#WIRE} names the version of the sender, on every
 *       request on {@link dev.tern.routing.MessageWire#send};
 *   <li>a change an older receiver would misread (a header's meaning, a payload layout) is a
 *       breaking change and gets a new subject, served beside the old one until no process
 *       uses it.
 * </ul>
 */
@NullMarked
package dev.tern.routing;

import org.jspecify.annotations.NullMarked;

/** The XML of XMPP streams (RFC 6120 §4, §11): elements, the stream decoders, errors. */
@NullMarked
package dev.tern.edge.xml;

import org.jspecify.annotations.NullMarked;

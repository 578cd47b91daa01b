/** The NATS wire of XEP-0054 vcard-temp: the edges' vCard reads and writes. */
@NullMarked
package dev.tern.routing.vcard;

import org.jspecify.annotations.NullMarked;

/** TLS for XMPP streams: STARTTLS (RFC 6120 §5), Direct TLS (XEP-0368) and RFC 7590 settings. */
@NullMarked
package dev.tern.edge.tls;

import org.jspecify.annotations.NullMarked;

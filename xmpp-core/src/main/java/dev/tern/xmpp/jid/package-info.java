/** XMPP addresses (RFC 7622), their parts prepared with the PRECIS profiles of RFC 8264/8265. */
@NullMarked
package dev.tern.xmpp.jid;

import org.jspecify.annotations.NullMarked;

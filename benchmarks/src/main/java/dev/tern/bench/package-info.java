/** Load tools that speak XMPP (RFC 6120, RFC 7395) to any server and print what they measure. */
package dev.tern.bench;

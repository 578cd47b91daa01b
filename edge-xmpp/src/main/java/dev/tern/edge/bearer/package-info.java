/**
 * Short-lived bearer tokens (RFC 6750) for the WebSocket upgrade ({@code GET /ws/connect} with
 * {@code Authorization: Bearer}), issued over XMPP to an authenticated user: Tern's extension
 * {@code urn:tern:bearer:0}.
 */
@NullMarked
package dev.tern.edge.bearer;

import org.jspecify.annotations.NullMarked;

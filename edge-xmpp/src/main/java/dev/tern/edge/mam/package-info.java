/**
 * XEP-0313 Message Archive Management (with XEP-0059 Result Set Management), the edge's side:
 * parses a user's archive query, asks a router for the page, and forwards the results ahead of
 * the IQ result.
 */
@NullMarked
package dev.tern.edge.mam;

import org.jspecify.annotations.NullMarked;

/**
 * XEP-0313 Message Archive Management with XEP-0059 Result Set Management, the router's side:
 * answers a user's archive queries from the archive index and the chats' history.
 */
@NullMarked
package dev.tern.router.mam;

import org.jspecify.annotations.NullMarked;

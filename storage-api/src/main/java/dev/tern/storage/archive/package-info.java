/**
 * Each user's message archive as XEP-0313 (Message Archive Management) pages through it: an index
 * of every 1:1 message a user sent or received, in one stable order, pointing into the chats'
 * history.
 */
@NullMarked
package dev.tern.storage.archive;

import org.jspecify.annotations.NullMarked;

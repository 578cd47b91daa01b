/**
 * The persistence under 1:1 messaging: per-chat history ordered by a sequence number assigned at
 * persist time, resend dedupe by XEP-0359 origin-id with XEP-0359 stanza-ids, and each user's
 * queue of unread (offline) messages.
 */
@NullMarked
package dev.tern.storage.messages;

import org.jspecify.annotations.NullMarked;

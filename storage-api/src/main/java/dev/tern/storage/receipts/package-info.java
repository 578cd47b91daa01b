/**
 * Stored receipt status of 1:1 messages (XEP-0184 delivery receipts, XEP-0333 chat markers):
 * how a receipt's id finds the message it acknowledges, and how far each message got.
 */
@NullMarked
package dev.tern.storage.receipts;

import org.jspecify.annotations.NullMarked;

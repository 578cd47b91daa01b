/**
 * Tern's receipt status query ({@code urn:tern:receipts:0}): how far the user's messages got,
 * from the XEP-0184 receipts and XEP-0333 markers the router stored.
 */
@NullMarked
package dev.tern.edge.receipts;

import org.jspecify.annotations.NullMarked;

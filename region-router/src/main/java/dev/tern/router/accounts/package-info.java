/** Accounts as the router sees them: whether a recipient exists, and what removing one removes. */
@NullMarked
package dev.tern.router.accounts;

import org.jspecify.annotations.NullMarked;

/** How the failures of a store are told apart, whatever the database behind it. */
@NullMarked
package dev.tern.storage.errors;

import org.jspecify.annotations.NullMarked;

/** End-to-end tests against one real local federation, shared by every test class of the run. */
@NullMarked
package dev.tern.it;

import org.jspecify.annotations.NullMarked;

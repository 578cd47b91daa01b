/** XEP-0280: Message Carbons, copies of a user's messages for the user's other resources. */
@NullMarked
package dev.tern.edge.carbons;

import org.jspecify.annotations.NullMarked;

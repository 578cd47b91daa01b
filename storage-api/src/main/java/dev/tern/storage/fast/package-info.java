/**
 * The tokens of XEP-0484 Fast Authentication Streamlining Tokens, kept per user and device.
 */
@NullMarked
package dev.tern.storage.fast;

import org.jspecify.annotations.NullMarked;

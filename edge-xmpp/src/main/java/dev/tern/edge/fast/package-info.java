/**
 * XEP-0484 Fast Authentication Streamlining Tokens, with the HT-SHA-256 SASL mechanisms of
 * draft-schmaus-kitten-sasl-ht that authenticate with them.
 */
@NullMarked
package dev.tern.edge.fast;

import org.jspecify.annotations.NullMarked;

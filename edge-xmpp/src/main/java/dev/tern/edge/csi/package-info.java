/** XEP-0352 Client State Indication. */
@NullMarked
package dev.tern.edge.csi;

import org.jspecify.annotations.NullMarked;

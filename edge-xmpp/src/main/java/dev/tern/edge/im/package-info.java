/** 1:1 messages between users (RFC 6121 §5) through the region's routers, with XEP-0359 ids. */
@NullMarked
package dev.tern.edge.im;

import org.jspecify.annotations.NullMarked;

/** XEP-0085: Chat State Notifications pass to the recipient's online sessions, stored nowhere. */
@NullMarked
package dev.tern.edge.chatstates;

import org.jspecify.annotations.NullMarked;

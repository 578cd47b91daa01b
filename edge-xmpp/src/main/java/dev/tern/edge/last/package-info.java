/** XEP-0012: Last Activity of a contact (for its subscribers) and of the server (uptime). */
@NullMarked
package dev.tern.edge.last;

import org.jspecify.annotations.NullMarked;

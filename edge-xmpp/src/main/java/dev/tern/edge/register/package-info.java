/** XEP-0077: In-Band Registration of accounts on the server, behind a config switch. */
@NullMarked
package dev.tern.edge.register;

import org.jspecify.annotations.NullMarked;

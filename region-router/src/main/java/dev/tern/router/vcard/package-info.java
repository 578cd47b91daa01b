/** XEP-0054 vcard-temp on the router: users' vCards read and set for the edges. */
@NullMarked
package dev.tern.router.vcard;

import org.jspecify.annotations.NullMarked;

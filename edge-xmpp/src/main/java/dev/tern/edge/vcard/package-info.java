/** XEP-0054 vcard-temp: users set their own vCard and read anyone's, kept by the routers. */
@NullMarked
package dev.tern.edge.vcard;

import org.jspecify.annotations.NullMarked;

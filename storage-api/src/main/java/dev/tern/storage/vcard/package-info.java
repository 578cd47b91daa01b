/** Each user's vCard of XEP-0054 vcard-temp, stored as the XML the user set. */
@NullMarked
package dev.tern.storage.vcard;

import org.jspecify.annotations.NullMarked;

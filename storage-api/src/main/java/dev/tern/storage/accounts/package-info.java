/**
 * User accounts of the XMPP domain and their SCRAM credentials (RFC 5802 §3: the server keeps
 * only the salt, iteration count, StoredKey and ServerKey, never a password).
 */
@NullMarked
package dev.tern.storage.accounts;

import org.jspecify.annotations.NullMarked;

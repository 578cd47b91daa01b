/** Each user's Personal Eventing nodes and items of XEP-0163 (PEP, a profile of XEP-0060). */
@NullMarked
package dev.tern.storage.pep;

import org.jspecify.annotations.NullMarked;

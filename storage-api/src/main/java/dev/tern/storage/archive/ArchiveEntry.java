package dev.tern.storage.archive;

import static java.util.Objects.requireNonNull;

/**
 * One message in a user's archive: where it sits, and the XEP-0359 stanza-id the server gave it,
 * which is its id in the archive (XEP-0313 §5.2). The message itself stays in the chat's history,
 * at {@code position.chat()} and {@code position.seq()}.
 */
public record ArchiveEntry(String stanzaId, ArchivePosition position) {

  public ArchiveEntry {
    requireNonNull(stanzaId, "stanzaId");
    requireNonNull(position, "position");
    if (position.chat().isEmpty() || position.seq() < 1) {
      throw new IllegalArgumentException("not a message's position: " + position);
    }
  }
}

package dev.tern.storage.archive;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A slice of a user's archive: the messages strictly between two positions, with one chat
 * partner or with anybody.
 *
 * @param user the archive's owner, a bare JID
 * @param with only the messages exchanged with this bare JID, or all of them
 * @param after exclusive lower bound
 * @param before exclusive upper bound
 */
public record ArchiveRange(String user, Optional<String> with, ArchivePosition after,
    ArchivePosition before) {

  public ArchiveRange {
    requireNonNull(user, "user");
    requireNonNull(with, "with");
    requireNonNull(after, "after");
    requireNonNull(before, "before");
  }

  /** The whole archive of {@code user}, or the part exchanged with {@code with}. */
  public static ArchiveRange all(String user, Optional<String> with) {
    return new ArchiveRange(user, with, ArchivePosition.FIRST, ArchivePosition.LAST);
  }

  /** Whether no position can lie strictly between the bounds. */
  public boolean isEmpty() {
    return after.compareTo(before) >= 0;
  }

  /** Whether {@code p} lies strictly between the bounds. */
  public boolean contains(ArchivePosition p) {
    return after.compareTo(p) < 0 && p.compareTo(before) < 0;
  }
}

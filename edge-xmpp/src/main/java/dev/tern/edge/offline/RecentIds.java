package dev.tern.edge.offline;

import java.util.LinkedHashSet;
import org.jspecify.annotations.Nullable;

/** The last {@code capacity} ids seen, oldest forgotten first; confined to one thread. */
final class RecentIds {

  private final int capacity;
  /** Made on the first id: most sessions never get a stored message. */
  private @Nullable LinkedHashSet<String> ids;

  RecentIds(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** Remembers {@code id}; false if it was already among the recent ones. */
  boolean add(String id) {
    LinkedHashSet<String> ids = this.ids;
    if (ids == null) {
      ids = this.ids = new LinkedHashSet<>();
    }
    if (!ids.add(id)) {
      return false;
    }
    if (ids.size() > capacity) {
      ids.remove(ids.iterator().next());
    }
    return true;
  }
}

package dev.tern.router.blocking;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/** One user's block list as the router holds it: the JIDs the user blocked (XEP-0191). */
public record BlockList(Set<String> items) {

  public static final BlockList EMPTY = new BlockList(Set.of());

  public BlockList {
    items = Set.copyOf(requireNonNull(items, "items"));
  }

  /** Whether an item of this list covers {@code jid} (XEP-0191 §5 JID matching). */
  public boolean blocks(String jid) {
    requireNonNull(jid, "jid");
    if (items.isEmpty()) {
      return false;
    }
    if (items.contains(jid) || items.contains(JidMatching.bare(jid))) {
      return true; // the common case: a blocked user, or the very JID
    }
    for (String item : items) {
      if (JidMatching.matches(item, jid)) {
        return true;
      }
    }
    return false;
  }
}

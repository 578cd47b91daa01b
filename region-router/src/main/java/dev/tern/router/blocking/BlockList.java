package dev.tern.router.blocking;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.jid.Jid;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One user's block list as the router holds it: the JIDs the user blocked (XEP-0191), each parsed
 * once when the list is read, since the list is consulted on every message and may hold
 * {@link BlockingRouter#MAX_ITEMS} items.
 */
public final class BlockList {

  public static final BlockList EMPTY = new BlockList(Set.of());

  private final Set<String> items;
  /** The items that are JIDs; see {@link JidMatching} for the others. */
  private final List<Jid> jids;

  public BlockList(Set<String> items) {
    this.items = Set.copyOf(requireNonNull(items, "items"));
    List<Jid> parsed = new ArrayList<>(this.items.size());
    for (String item : this.items) {
      JidMatching.parse(item).ifPresent(parsed::add);
    }
    this.jids = List.copyOf(parsed);
  }

  /** The blocked JIDs as stored. */
  public Set<String> items() {
    return items;
  }

  /** Whether an item of this list covers {@code jid} (XEP-0191 §5 JID matching). */
  public boolean blocks(String jid) {
    requireNonNull(jid, "jid");
    if (items.isEmpty()) {
      return false;
    }
    if (items.contains(jid)) {
      return true; // the very JID, or an item that is no JID and covers only itself
    }
    Optional<Jid> parsed = JidMatching.parse(jid);
    return parsed.isPresent() && blocks(parsed.get());
  }

  /** Whether an item of this list covers {@code jid} (XEP-0191 §5 JID matching). */
  boolean blocks(Jid jid) {
    if (jids.isEmpty()) {
      return false;
    }
    if (items.contains(jid.toString()) || items.contains(jid.bare().toString())) {
      return true; // the common case: a blocked user, or the very JID
    }
    for (Jid item : jids) {
      if (JidMatching.matches(item, jid)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof BlockList other && items.equals(other.items);
  }

  @Override
  public int hashCode() {
    return items.hashCode();
  }

  @Override
  public String toString() {
    return "BlockList" + items;
  }
}

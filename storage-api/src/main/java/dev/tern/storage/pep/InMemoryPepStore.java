package dev.tern.storage.pep;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PepStore} in maps, for fast unit tests of the code that uses PEP. The product always
 * runs on {@code CassandraPepStore} (tern-storage); both pass the same contract test.
 */
public final class InMemoryPepStore implements PepStore {

  /** Newest first; equal times by id, as Cassandra's clustering would. */
  static final Comparator<PepItem> NEWEST_FIRST = Comparator.comparing(PepItem::published)
      .reversed().thenComparing(PepItem::id);

  private record Node(NodeConfig config, Map<String, PepItem> items) {}

  private final Map<String, Map<String, Node>> owners = new HashMap<>();

  @Override
  public synchronized CompletionStage<Optional<NodeConfig>> node(String owner, String node) {
    Node n = find(owner, node);
    return done(Optional.ofNullable(n == null ? null : n.config()));
  }

  @Override
  public synchronized CompletionStage<Map<String, NodeConfig>> nodes(String owner) {
    requireNonNull(owner, "owner");
    Map<String, NodeConfig> out = new HashMap<>();
    owners.getOrDefault(owner, Map.of()).forEach((name, n) -> out.put(name, n.config()));
    return done(Map.copyOf(out));
  }

  @Override
  public synchronized CompletionStage<Void> configure(String owner, String node,
      NodeConfig config) {
    requireNonNull(config, "config");
    Node old = find(owner, node);
    Node now = new Node(config, old == null ? new HashMap<>() : old.items());
    owners.computeIfAbsent(owner, o -> new HashMap<>()).put(node, now);
    trim(now);
    return done(null);
  }

  @Override
  public synchronized CompletionStage<Void> publish(String owner, String node, PepItem item) {
    requireNonNull(item, "item");
    Node n = find(owner, node);
    if (n == null) {
      return CompletableFuture.failedFuture(new NoSuchElementException(node));
    }
    n.items().put(item.id(), item);
    trim(n);
    return done(null);
  }

  @Override
  public synchronized CompletionStage<List<PepItem>> items(String owner, String node, int max) {
    Node n = find(owner, node);
    if (n == null || max <= 0) {
      return done(List.of());
    }
    return done(List.copyOf(newestFirst(n).subList(0, Math.min(max, n.items().size()))));
  }

  @Override
  public synchronized CompletionStage<List<PepItem>> items(String owner, String node,
      Collection<String> ids) {
    Set<String> wanted = Set.copyOf(ids);
    Node n = find(owner, node);
    if (n == null) {
      return done(List.of());
    }
    return done(newestFirst(n).stream().filter(i -> wanted.contains(i.id())).toList());
  }

  @Override
  public synchronized CompletionStage<Boolean> retract(String owner, String node, String itemId) {
    requireNonNull(itemId, "itemId");
    Node n = find(owner, node);
    return done(n != null && n.items().remove(itemId) != null);
  }

  @Override
  public synchronized CompletionStage<Boolean> delete(String owner, String node) {
    Node n = find(owner, node);
    if (n != null) {
      owners.get(owner).remove(node);
    }
    return done(n != null);
  }

  private @Nullable Node find(String owner, String node) {
    requireNonNull(owner, "owner");
    requireNonNull(node, "node");
    Map<String, Node> nodes = owners.get(owner);
    return nodes == null ? null : nodes.get(node);
  }

  private static List<PepItem> newestFirst(Node n) {
    List<PepItem> out = new ArrayList<>(n.items().values());
    out.sort(NEWEST_FIRST);
    return out;
  }

  private static void trim(Node n) {
    List<PepItem> all = newestFirst(n);
    for (PepItem old : all.subList(Math.min(n.config().kept(), all.size()), all.size())) {
      n.items().remove(old.id());
    }
  }

  private static <T> CompletionStage<T> done(@Nullable T value) {
    return CompletableFuture.completedFuture(value);
  }
}

package dev.tern.storage.pep;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * PEP in Cassandra (migration v15): {@code pep_nodes (owner, node)} holds each node's
 * configuration, one partition per owner; {@code pep_items ((owner, node), item_id)} its items,
 * one partition per node. A node keeps at most {@link NodeConfig#MAX_ITEMS} items, so a node is
 * read whole and ordered newest first in memory; publishing writes the item (replacing one of the
 * same id) and then deletes the oldest beyond what the node keeps. Two publishes racing on one
 * node may leave one item too many until the next publish trims it.
 */
public final class CassandraPepStore implements PepStore {

  private static final Comparator<PepItem> NEWEST_FIRST = Comparator
      .comparing(PepItem::published).reversed().thenComparing(PepItem::id);

  private final CqlSession session;
  private final PreparedStatement putNode;
  private final PreparedStatement selectNode;
  private final PreparedStatement selectNodes;
  private final PreparedStatement deleteNode;
  private final PreparedStatement putItem;
  private final PreparedStatement selectItems;
  private final PreparedStatement deleteItem;
  private final PreparedStatement deleteItems;

  /** Prepares the statements, which needs the keyspace migrated to v15. */
  public CassandraPepStore(CqlSession session, String keyspace) {
    this.session = requireNonNull(session, "session");
    requireNonNull(keyspace, "keyspace");
    String nodes = keyspace + ".pep_nodes";
    String items = keyspace + ".pep_items";
    putNode = session.prepare("INSERT INTO " + nodes
        + " (owner, node, access_model, max_items, persist_items) VALUES (?, ?, ?, ?, ?)");
    selectNode = session.prepare("SELECT access_model, max_items, persist_items FROM " + nodes
        + " WHERE owner = ? AND node = ?");
    selectNodes = session.prepare("SELECT node, access_model, max_items, persist_items FROM "
        + nodes + " WHERE owner = ?");
    deleteNode = session.prepare("DELETE FROM " + nodes + " WHERE owner = ? AND node = ?");
    putItem = session.prepare("INSERT INTO " + items
        + " (owner, node, item_id, payload, published) VALUES (?, ?, ?, ?, ?)");
    selectItems = session.prepare("SELECT item_id, payload, published FROM " + items
        + " WHERE owner = ? AND node = ?");
    deleteItem = session.prepare("DELETE FROM " + items
        + " WHERE owner = ? AND node = ? AND item_id = ?");
    deleteItems = session.prepare("DELETE FROM " + items + " WHERE owner = ? AND node = ?");
  }

  @Override
  public CompletionStage<Optional<NodeConfig>> node(String owner, String node) {
    requireNonNull(owner, "owner");
    requireNonNull(node, "node");
    return session.executeAsync(selectNode.bind(owner, node))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(CassandraPepStore::config));
  }

  @Override
  public CompletionStage<Map<String, NodeConfig>> nodes(String owner) {
    requireNonNull(owner, "owner");
    return session.executeAsync(selectNodes.bind(owner))
        .thenCompose(rs -> collect(rs, new ArrayList<Row>(), Function.identity()))
        .thenApply(rows -> {
          Map<String, NodeConfig> out = new HashMap<>();
          rows.forEach(r -> out.put(requireNonNull(r.getString("node"), "pep_nodes.node"),
              config(r)));
          return Map.copyOf(out);
        });
  }

  private static NodeConfig config(Row row) {
    AccessModel access = AccessModel.fromFormValue(String.valueOf(row.getString("access_model")))
        .orElse(AccessModel.PRESENCE);
    int max = Math.max(1, Math.min(NodeConfig.MAX_ITEMS, row.getInt("max_items")));
    return new NodeConfig(access, max, row.getBoolean("persist_items"));
  }

  @Override
  public CompletionStage<Void> configure(String owner, String node, NodeConfig config) {
    requireNonNull(owner, "owner");
    requireNonNull(node, "node");
    requireNonNull(config, "config");
    return session.executeAsync(putNode.bind(owner, node, config.access().formValue(),
            config.maxItems(), config.persistItems()))
        .thenCompose(rs -> trim(owner, node, config.kept()));
  }

  @Override
  public CompletionStage<Void> publish(String owner, String node, PepItem item) {
    requireNonNull(item, "item");
    return node(owner, node).thenCompose(config -> {
      if (config.isEmpty()) {
        throw new NoSuchElementException("no PEP node " + node + " of " + owner);
      }
      return session.executeAsync(putItem.bind(owner, node, item.id(), item.payload(),
              item.published()))
          .thenCompose(rs -> trim(owner, node, config.get().kept()));
    });
  }

  /** Deletes the items beyond the newest {@code kept}. */
  private CompletionStage<Void> trim(String owner, String node, int kept) {
    return all(owner, node).thenCompose(items -> {
      CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
      for (PepItem old : items.subList(Math.min(kept, items.size()), items.size())) {
        chain = chain.thenCompose(v -> session.executeAsync(deleteItem.bind(owner, node,
            old.id())).thenApply(rs -> null));
      }
      return chain;
    });
  }

  @Override
  public CompletionStage<List<PepItem>> items(String owner, String node, int max) {
    if (max <= 0) {
      return CompletableFuture.completedFuture(List.of());
    }
    return all(owner, node).thenApply(items -> List.copyOf(
        items.subList(0, Math.min(max, items.size()))));
  }

  @Override
  public CompletionStage<List<PepItem>> items(String owner, String node,
      Collection<String> ids) {
    Set<String> wanted = Set.copyOf(ids);
    return all(owner, node).thenApply(items -> items.stream()
        .filter(i -> wanted.contains(i.id())).toList());
  }

  /** Every item of the node, newest first. */
  private CompletionStage<List<PepItem>> all(String owner, String node) {
    requireNonNull(owner, "owner");
    requireNonNull(node, "node");
    return session.executeAsync(selectItems.bind(owner, node))
        .thenCompose(rs -> collect(rs, new ArrayList<PepItem>(), row -> new PepItem(
            requireNonNull(row.getString("item_id"), "pep_items.item_id"),
            java.util.Objects.requireNonNullElse(row.getString("payload"), ""),
            requireNonNull(row.getInstant("published"), "pep_items.published"))))
        .thenApply(items -> {
          items.sort(NEWEST_FIRST);
          return items;
        });
  }

  @Override
  public CompletionStage<Boolean> retract(String owner, String node, String itemId) {
    requireNonNull(itemId, "itemId");
    return items(owner, node, List.of(itemId)).thenCompose(found -> found.isEmpty()
        ? CompletableFuture.completedFuture(false)
        : session.executeAsync(deleteItem.bind(owner, node, itemId)).thenApply(rs -> true));
  }

  @Override
  public CompletionStage<Boolean> delete(String owner, String node) {
    return node(owner, node).thenCompose(config -> session
        .executeAsync(deleteItems.bind(owner, node))
        .thenCompose(rs -> session.executeAsync(deleteNode.bind(owner, node)))
        .thenApply(rs -> config.isPresent()));
  }

  private static <T> CompletionStage<List<T>> collect(AsyncResultSet rs, List<T> into,
      Function<Row, T> map) {
    for (Row row : rs.currentPage()) {
      into.add(map.apply(row));
    }
    if (rs.hasMorePages()) {
      return rs.fetchNextPage().thenCompose(next -> collect(next, into, map));
    }
    return CompletableFuture.completedFuture(into);
  }
}

package dev.tern.storage.roster;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.tern.storage.CassandraErrors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Rosters in Cassandra (migration v9): {@code roster_items (username, contact)}, one partition
 * per user so a roster is one read, and {@code subscription_requests (username, requester)} with
 * each pending request's stanza; v10 adds each item's version and the one it replaced. Plain
 * writes at the session's consistency (LOCAL_QUORUM).
 */
public final class CassandraRosterStore implements RosterStore {

  /**
   * Reads at QUORUM across the datacenters, not LOCAL_QUORUM: a subscription changes both users'
   * items from routers in two regions (the sender's), each reading an item before writing it; a
   * local read could miss the other region's write a moment old and write back an item without
   * it (seen: a subscription that never reached 'both'). Writes stay LOCAL_QUORUM; with one
   * replica per datacenter a quorum read sees every acknowledged write. Like the chat numbering,
   * roster changes then need both datacenters.
   */
  private static final ConsistencyLevel ACROSS_REGIONS = DefaultConsistencyLevel.QUORUM;


  private static final String ITEM_COLUMNS =
      "contact, name, groups, subscription, ask_subscribe, approved, version";

  private final CqlSession session;
  private final PreparedStatement selectItems;
  private final PreparedStatement selectItem;
  private final PreparedStatement selectVersions;
  private final PreparedStatement insertItem;
  private final PreparedStatement deleteItem;
  private final PreparedStatement insertItemIfAbsent;
  private final PreparedStatement updateItemIfUnchanged;
  private final PreparedStatement insertRequest;
  private final PreparedStatement selectRequests;
  private final PreparedStatement deleteRequest;

  /** Prepares the statements, which needs the keyspace migrated to v9. */
  public CassandraRosterStore(CqlSession session, String keyspace) {
    this.session = requireNonNull(session, "session");
    requireNonNull(keyspace, "keyspace");
    String items = keyspace + ".roster_items";
    String requests = keyspace + ".subscription_requests";
    this.selectItems = session.prepare(
        "SELECT " + ITEM_COLUMNS + " FROM " + items + " WHERE username = ?");
    this.selectItem = session.prepare(
        "SELECT " + ITEM_COLUMNS + " FROM " + items + " WHERE username = ? AND contact = ?");
    this.selectVersions = session.prepare("SELECT version, previous_version FROM " + items
        + " WHERE username = ? AND contact = ?");
    this.insertItemIfAbsent = session.prepare("INSERT INTO " + items + " (username, "
        + ITEM_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS");
    this.updateItemIfUnchanged = session.prepare("UPDATE " + items + " SET name = ?, groups = ?,"
        + " subscription = ?, ask_subscribe = ?, approved = ?, version = ?, previous_version = ?"
        + " WHERE username = ? AND contact = ?"
        + " IF subscription = ? AND ask_subscribe = ? AND approved = ? AND version = ?");
    this.insertItem = session.prepare("INSERT INTO " + items + " (username, " + ITEM_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    this.deleteItem = session.prepare(
        "DELETE FROM " + items + " WHERE username = ? AND contact = ?");
    this.insertRequest = session.prepare("INSERT INTO " + requests
        + " (username, requester, stanza_xml, received_at) VALUES (?, ?, ?, ?)");
    this.selectRequests = session.prepare("SELECT requester, stanza_xml, received_at FROM "
        + requests + " WHERE username = ?");
    this.deleteRequest = session.prepare(
        "DELETE FROM " + requests + " WHERE username = ? AND requester = ?");
  }

  @Override
  public CompletionStage<List<RosterItem>> items(String user) {
    requireNonNull(user, "user");
    return session.executeAsync(selectItems.bind(user).setConsistencyLevel(ACROSS_REGIONS))
        .thenCompose(rs -> collect(rs, new ArrayList<>(), CassandraRosterStore::toItem));
  }

  @Override
  public CompletionStage<Optional<RosterItem>> item(String user, String contact) {
    requireNonNull(user, "user");
    requireNonNull(contact, "contact");
    return session.executeAsync(selectItem.bind(user, contact)
            .setConsistencyLevel(ACROSS_REGIONS))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(CassandraRosterStore::toItem));
  }

  @Override
  public CompletionStage<Boolean> replace(String user, Optional<RosterItem> expected,
      RosterItem updated) {
    requireNonNull(user, "user");
    requireNonNull(expected, "expected");
    requireNonNull(updated, "updated");
    com.datastax.oss.driver.api.core.cql.BoundStatement write = expected.isEmpty()
        ? insertItemIfAbsent.bind(user, updated.contact(), updated.name().orElse(null),
            updated.groups(), updated.subscription().attribute(), updated.askSubscribe(),
            updated.approved(), version(updated))
        : updateItemIfUnchanged.bind(updated.name().orElse(null), updated.groups(),
            updated.subscription().attribute(), updated.askSubscribe(), updated.approved(),
            version(updated), version(expected.get()), user, updated.contact(),
            expected.get().subscription().attribute(),
            expected.get().askSubscribe(), expected.get().approved(), version(expected.get()));
    // The Paxos round spans both datacenters: the two sides of a subscription run in two regions.
    return session.executeAsync(write.setSerialConsistencyLevel(DefaultConsistencyLevel.SERIAL))
        .handle((rs, error) -> {
          if (error == null && rs.wasApplied()) {
            return CompletableFuture.completedFuture(true);
          }
          boolean unknown = error != null && CassandraErrors.outcomeUnknown(error);
          if (error != null && !unknown || updated.version() == 0) {
            return error != null ? CompletableFuture.<Boolean>failedFuture(error)
                : CompletableFuture.completedFuture(false);
          }
          return writtenMeanwhile(user, updated).toCompletableFuture();
        })
        .thenCompose(written -> written);
  }

  /**
   * Whether a compare-and-set that reported "not applied", or whose outcome Cassandra could not
   * tell ({@link CassandraErrors#outcomeUnknown}), was applied all the same. Under contention,
   * Cassandra's Paxos lets a competing round commit this round's accepted proposal; this round
   * then retries, finds the state changed (by its own write, or by the competing change that
   * came right after it) and reports itself not applied, or gives up without a quorum. Seen:
   * Alice's {@code subscribed} re-applied to its own result as "already 'from', nothing to do",
   * so it never reached Bob, whose item stayed 'from'. A read at SERIAL settles any round still
   * open; the write is in if the item holds its version, or the change right after it replaced
   * that version.
   */
  private CompletionStage<Boolean> writtenMeanwhile(String user, RosterItem updated) {
    return session.executeAsync(selectVersions.bind(user, updated.contact())
            .setConsistencyLevel(DefaultConsistencyLevel.SERIAL))
        .thenApply(rs -> {
          Row now = rs.one();
          return now != null && (isVersion(now, "version", updated.version())
              || isVersion(now, "previous_version", updated.version()));
        });
  }

  private static boolean isVersion(Row row, String column, long version) {
    return !row.isNull(column) && row.getLong(column) == version;
  }

  @Override
  public CompletionStage<Void> put(String user, RosterItem item) {
    requireNonNull(user, "user");
    requireNonNull(item, "item");
    return session.executeAsync(insertItem.bind(user, item.contact(), item.name().orElse(null),
            item.groups(), item.subscription().attribute(), item.askSubscribe(), item.approved(),
            version(item)))
        .thenApply(rs -> null);
  }

  @Override
  public CompletionStage<Void> remove(String user, String contact) {
    requireNonNull(user, "user");
    requireNonNull(contact, "contact");
    return session.executeAsync(deleteItem.bind(user, contact)).thenApply(rs -> null);
  }

  @Override
  public CompletionStage<Void> addRequest(String user, SubscriptionRequest request) {
    requireNonNull(user, "user");
    requireNonNull(request, "request");
    return session.executeAsync(insertRequest.bind(user, request.from(), request.stanzaXml(),
        request.receivedAt())).thenApply(rs -> null);
  }

  @Override
  public CompletionStage<List<SubscriptionRequest>> requests(String user) {
    requireNonNull(user, "user");
    return session.executeAsync(selectRequests.bind(user).setConsistencyLevel(ACROSS_REGIONS))
        .thenCompose(rs -> collect(rs, new ArrayList<>(), row -> new SubscriptionRequest(
            row.getString("requester"), row.getString("stanza_xml"),
            row.getInstant("received_at"))))
        .thenApply(list -> {
          list.sort(Comparator.comparing(SubscriptionRequest::receivedAt));
          return list;
        });
  }

  @Override
  public CompletionStage<Void> removeRequest(String user, String from) {
    requireNonNull(user, "user");
    requireNonNull(from, "from");
    return session.executeAsync(deleteRequest.bind(user, from)).thenApply(rs -> null);
  }

  static RosterItem toItem(Row row) {
    Set<String> groups = row.getSet("groups", String.class);
    return new RosterItem(row.getString("contact"), Optional.ofNullable(row.getString("name")),
        groups == null ? Set.of() : groups,
        Subscription.of(requireNonNull(row.getString("subscription"), "subscription")),
        row.getBoolean("ask_subscribe"), row.getBoolean("approved"),
        row.isNull("version") ? 0 : row.getLong("version"));
  }

  /** Version 0 is stored as no version (null), as in the rows written before migration v10. */
  private static @Nullable Long version(RosterItem item) {
    return item.version() == 0 ? null : item.version();
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

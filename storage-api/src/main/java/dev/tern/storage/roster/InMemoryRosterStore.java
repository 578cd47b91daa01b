package dev.tern.storage.roster;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link RosterStore} in memory, for fast unit tests. The product always runs on
 * {@code CassandraRosterStore} (tern-storage); both pass the same contract test.
 */
public final class InMemoryRosterStore implements RosterStore {

  private final ConcurrentMap<String, Map<String, RosterItem>> rosters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Map<String, SubscriptionRequest>> requests =
      new ConcurrentHashMap<>();
  /** The version each item had before its last compare-and-set, by user and contact. */
  private final Map<String, Long> previousVersions = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<List<RosterItem>> items(String user) {
    requireNonNull(user, "user");
    return done(List.copyOf(rosters.getOrDefault(user, Map.of()).values()));
  }

  @Override
  public CompletionStage<Optional<RosterItem>> item(String user, String contact) {
    requireNonNull(user, "user");
    requireNonNull(contact, "contact");
    return done(Optional.ofNullable(rosters.getOrDefault(user, Map.of()).get(contact)));
  }

  @Override
  public synchronized CompletionStage<Boolean> replace(String user, Optional<RosterItem> expected,
      RosterItem updated) {
    requireNonNull(user, "user");
    requireNonNull(expected, "expected");
    requireNonNull(updated, "updated");
    Map<String, RosterItem> items = rosters.computeIfAbsent(user, u -> new ConcurrentHashMap<>());
    Optional<RosterItem> current = Optional.ofNullable(items.get(updated.contact()));
    boolean same = expected.isEmpty() ? current.isEmpty()
        : current.isPresent() && sameState(current.get(), expected.get());
    String key = user + "\n" + updated.contact();
    if (same) {
      items.put(updated.contact(), updated);
      expected.ifPresentOrElse(e -> previousVersions.put(key, e.version()),
          () -> previousVersions.remove(key));
    }
    // as the Cassandra store: a versioned item found stored, or replaced by the change right
    // after it, counts as written
    boolean writtenMeanwhile = !same && updated.version() > 0 && current.isPresent()
        && (current.get().version() == updated.version()
            || previousVersions.getOrDefault(key, 0L) == updated.version());
    return CompletableFuture.completedFuture(same || writtenMeanwhile);
  }

  private static boolean sameState(RosterItem a, RosterItem b) {
    return a.subscription() == b.subscription() && a.askSubscribe() == b.askSubscribe()
        && a.approved() == b.approved() && a.version() == b.version();
  }

  @Override
  public CompletionStage<Void> put(String user, RosterItem item) {
    requireNonNull(user, "user");
    requireNonNull(item, "item");
    rosters.computeIfAbsent(user, u -> new ConcurrentHashMap<>()).put(item.contact(), item);
    return done(null);
  }

  @Override
  public CompletionStage<Void> remove(String user, String contact) {
    requireNonNull(user, "user");
    requireNonNull(contact, "contact");
    rosters.getOrDefault(user, new ConcurrentHashMap<>()).remove(contact);
    previousVersions.remove(user + "\n" + contact);
    return done(null);
  }

  @Override
  public CompletionStage<Void> addRequest(String user, SubscriptionRequest request) {
    requireNonNull(user, "user");
    requireNonNull(request, "request");
    requests.computeIfAbsent(user, u -> new ConcurrentHashMap<>()).put(request.from(), request);
    return done(null);
  }

  @Override
  public CompletionStage<List<SubscriptionRequest>> requests(String user) {
    requireNonNull(user, "user");
    return done(requests.getOrDefault(user, Map.of()).values().stream()
        .sorted(Comparator.comparing(SubscriptionRequest::receivedAt))
        .toList());
  }

  @Override
  public CompletionStage<Void> removeRequest(String user, String from) {
    requireNonNull(user, "user");
    requireNonNull(from, "from");
    requests.getOrDefault(user, new ConcurrentHashMap<>()).remove(from);
    return done(null);
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}

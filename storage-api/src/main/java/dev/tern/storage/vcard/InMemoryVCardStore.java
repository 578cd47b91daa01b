package dev.tern.storage.vcard;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link VCardStore} in a map, for fast unit tests. The product always runs on
 * {@code CassandraVCardStore} (tern-storage); both pass the same contract test.
 */
public final class InMemoryVCardStore implements VCardStore {

  private final ConcurrentMap<String, StoredVCard> vcards = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Optional<StoredVCard>> find(String user) {
    requireNonNull(user, "user");
    return CompletableFuture.completedFuture(Optional.ofNullable(vcards.get(user)));
  }

  @Override
  public CompletionStage<Void> put(String user, String xml, Instant updated) {
    requireNonNull(user, "user");
    vcards.put(user, new StoredVCard(xml, updated));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> delete(String user) {
    requireNonNull(user, "user");
    vcards.remove(user);
    return CompletableFuture.completedFuture(null);
  }
}

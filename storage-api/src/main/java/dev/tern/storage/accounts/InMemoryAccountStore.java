package dev.tern.storage.accounts;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An {@link AccountStore} in a map, for fast unit tests of the code that uses accounts. The
 * product always runs on {@code CassandraAccountStore} (tern-storage);
 * both pass the same contract test.
 */
public final class InMemoryAccountStore implements AccountStore {

  private final ConcurrentMap<String, Account> accounts = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Boolean> create(Account account) {
    requireNonNull(account, "account");
    return CompletableFuture.completedFuture(
        accounts.putIfAbsent(account.username(), account) == null);
  }

  @Override
  public CompletionStage<Optional<Account>> find(String username) {
    requireNonNull(username, "username");
    return CompletableFuture.completedFuture(Optional.ofNullable(accounts.get(username)));
  }

  @Override
  public CompletionStage<Boolean> replaceCredentials(
      String username, Map<String, StoredCredential> credentials) {
    requireNonNull(username, "username");
    Map<String, StoredCredential> copy = Map.copyOf(requireNonNull(credentials, "credentials"));
    Account.checkCredentials(copy);
    Account updated = accounts.computeIfPresent(username,
        (name, old) -> new Account(name, old.createdAt(), copy, Instant.now()));
    return CompletableFuture.completedFuture(updated != null);
  }

  @Override
  public CompletionStage<Boolean> delete(String username) {
    requireNonNull(username, "username");
    return CompletableFuture.completedFuture(accounts.remove(username) != null);
  }
}

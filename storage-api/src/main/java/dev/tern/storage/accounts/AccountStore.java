package dev.tern.storage.accounts;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The accounts of the XMPP domain, keyed by username (the PRECIS UsernameCaseMapped localpart).
 *
 * <p>Every operation is asynchronous because the product's implementation waits for Cassandra;
 * a stage completes exceptionally when the back-end could not answer, never to say "no".
 */
public interface AccountStore {

  /** Registers {@code account}; completes with false, changing nothing, if the name is taken. */
  CompletionStage<Boolean> create(Account account);

  /** The account named {@code username}, if there is one. */
  CompletionStage<Optional<Account>> find(String username);

  /**
   * Replaces all SCRAM credentials of {@code username} (a password change) and sets
   * {@link Account#credentialsChangedAt()} to now; completes with false, creating nothing, if
   * there is no such account.
   */
  CompletionStage<Boolean> replaceCredentials(
      String username, Map<String, StoredCredential> credentials);

  /** Removes the account; completes with false if there was none. */
  CompletionStage<Boolean> delete(String username);
}

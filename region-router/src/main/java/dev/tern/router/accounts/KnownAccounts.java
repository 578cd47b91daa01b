package dev.tern.router.accounts;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.AccountStore;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Whether a username has an account and since when, as the message path asks for every
 * recipient: read from the {@link AccountStore}; an account found is remembered for {@link
 * #REMEMBERED_FOR} (at most {@link #MAX_REMEMBERED} names, the least recently asked going first),
 * an account not found is not, so a name registered a moment ago receives at once. A removal
 * announced on {@code AccountWire.removed} is forgotten at once. Thread-safe.
 */
public final class KnownAccounts {

  /** How long an account found is taken to exist without reading it again. */
  static final Duration REMEMBERED_FOR = Duration.ofMinutes(10);
  /** How many names are remembered; about 100 bytes each. */
  static final int MAX_REMEMBERED = 200_000;

  private record Found(Instant at, Instant createdAt) {}

  private final AccountStore accounts;
  private final Clock clock;
  private final Map<String, Found> found =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Found> eldest) {
          return size() > MAX_REMEMBERED;
        }
      };

  public KnownAccounts(AccountStore accounts, Clock clock) {
    this.accounts = requireNonNull(accounts, "accounts");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Whether {@code username} has an account; fails when the store could not be read. */
  public CompletionStage<Boolean> exists(String username) {
    return createdAt(username).thenApply(Optional::isPresent);
  }

  /**
   * When {@code username}'s account was created; empty if it has none. Fails when the store
   * could not be read.
   */
  public CompletionStage<Optional<Instant>> createdAt(String username) {
    requireNonNull(username, "username");
    Instant now = clock.instant();
    synchronized (found) {
      Found f = found.get(username);
      if (f != null && now.isBefore(f.at().plus(REMEMBERED_FOR))) {
        return CompletableFuture.completedFuture(Optional.of(f.createdAt()));
      }
    }
    return accounts.find(username).thenApply(account -> {
      account.ifPresent(a -> {
        synchronized (found) {
          found.put(username, new Found(now, a.createdAt()));
        }
      });
      return account.map(Account::createdAt);
    });
  }

  /** The username (local part) of {@code jid}, if it is a JID with one. */
  public static Optional<String> usernameOf(@Nullable String jid) {
    try {
      return jid == null ? Optional.empty() : Jid.parse(jid).local();
    } catch (JidMalformedException e) {
      return Optional.empty();
    }
  }

  /** {@code username}'s account was removed (here or in another region). */
  public void forget(String username) {
    synchronized (found) {
      found.remove(requireNonNull(username, "username"));
    }
  }
}

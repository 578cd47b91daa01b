package dev.tern.storage.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link AccountStore} must have. A test class per implementation extends
 * it and supplies the store; each test uses usernames of its own, so the store may be shared
 * between tests and hold other data (a real Cassandra keyspace migrated to v2 or later).
 */
public abstract class AccountStoreContract {

  /** The store under test; may return the same instance on every call. */
  protected abstract AccountStore store();

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  private static String uniqueUsername() {
    return "user-" + UUID.randomUUID();
  }

  private static StoredCredential credential(String mechanism, String seed) {
    int keyLength = mechanism.equals("SCRAM-SHA-1") ? 20 : 32;
    return new StoredCredential(mechanism,
        ("salt of " + seed).getBytes(StandardCharsets.UTF_8),
        4096,
        filled(keyLength, seed.hashCode()),
        filled(keyLength, seed.hashCode() + 1));
  }

  private static byte[] filled(int length, int seed) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) (seed + i * 31);
    }
    return out;
  }

  private static Map<String, StoredCredential> bothMechanisms(String seed) {
    return Map.of(
        "SCRAM-SHA-1", credential("SCRAM-SHA-1", seed),
        "SCRAM-SHA-256", credential("SCRAM-SHA-256", seed));
  }

  @Test
  void aCreatedAccountIsFoundWithItsCreationTimeAndCredentials() {
    String name = uniqueUsername();
    Account account = new Account(name, Instant.parse("2025-03-01T10:15:30.123Z"),
        bothMechanisms("first password"));

    assertThat(await(store().create(account))).isTrue();

    Optional<Account> found = await(store().find(name));
    assertThat(found).contains(account);
    assertThat(found.orElseThrow().credentials().get("SCRAM-SHA-256").storedKey())
        .isEqualTo(credential("SCRAM-SHA-256", "first password").storedKey());
  }

  @Test
  void anAccountWithoutCredentialsIsFoundWithAnEmptyMap() {
    String name = uniqueUsername();

    assertThat(await(store().create(new Account(name, Instant.now(), Map.of())))).isTrue();

    assertThat(await(store().find(name)).orElseThrow().credentials()).isEmpty();
  }

  @Test
  void anUnknownUsernameIsNotFound() {
    assertThat(await(store().find(uniqueUsername()))).isEmpty();
  }

  @Test
  void creatingATakenUsernameAnswersFalseAndKeepsTheFirstAccount() {
    String name = uniqueUsername();
    Account first = new Account(name, Instant.parse("2025-01-01T00:00:00Z"), bothMechanisms("a"));
    Account second = new Account(name, Instant.parse("2025-02-02T00:00:00Z"), bothMechanisms("b"));

    assertThat(await(store().create(first))).isTrue();
    assertThat(await(store().create(second))).isFalse();

    assertThat(await(store().find(name))).contains(first);
  }

  @Test
  void ofManyConcurrentRegistrationsOfOneNameExactlyOneSucceeds() {
    String name = uniqueUsername();
    List<CompletableFuture<Boolean>> attempts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Account candidate = new Account(name, Instant.now(), bothMechanisms("candidate " + i));
      attempts.add(store().create(candidate).toCompletableFuture());
    }

    List<Boolean> outcomes = attempts.stream().map(AccountStoreContract::await).toList();

    assertThat(outcomes).containsOnlyOnce(true);
    assertThat(await(store().find(name))).isPresent();
  }

  @Test
  void usernamesAreComparedExactly() {
    String name = uniqueUsername();
    assertThat(await(store().create(new Account(name, Instant.now(), Map.of())))).isTrue();

    assertThat(await(store().find(name.toUpperCase()))).isEmpty();
    assertThat(await(store().find(name + " "))).isEmpty();
  }

  @Test
  void replacingCredentialsChangesThemAndTheirTimeAndKeepsTheCreationTime() {
    String name = uniqueUsername();
    Instant created = Instant.parse("2024-12-24T18:00:00.001Z");
    assertThat(await(store().create(new Account(name, created, bothMechanisms("old"))))).isTrue();
    assertThat(await(store().find(name)).orElseThrow().credentialsChangedAt()).isEqualTo(created);
    Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

    Map<String, StoredCredential> only256 =
        Map.of("SCRAM-SHA-256", credential("SCRAM-SHA-256", "new"));
    assertThat(await(store().replaceCredentials(name, only256))).isTrue();

    Account found = await(store().find(name)).orElseThrow();
    assertThat(found.createdAt()).isEqualTo(created);
    assertThat(found.credentials()).isEqualTo(only256);
    assertThat(found.credentialsChangedAt()).isAfterOrEqualTo(before);
  }

  @Test
  void replacingTheCredentialsOfAnUnknownUserAnswersFalseAndCreatesNothing() {
    String name = uniqueUsername();

    assertThat(await(store().replaceCredentials(name, bothMechanisms("x")))).isFalse();

    assertThat(await(store().find(name))).isEmpty();
  }

  @Test
  void aCredentialFiledUnderAnotherMechanismIsRefused() {
    String name = uniqueUsername();
    Map<String, StoredCredential> misfiled =
        Map.of("SCRAM-SHA-1", credential("SCRAM-SHA-256", "x"));

    assertThatThrownBy(() -> store().replaceCredentials(name, misfiled))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDeletedAccountIsGoneAndItsNameCanBeRegisteredAgain() {
    String name = uniqueUsername();
    assertThat(await(store().create(new Account(name, Instant.now(), bothMechanisms("a")))))
        .isTrue();

    assertThat(await(store().delete(name))).isTrue();
    assertThat(await(store().find(name))).isEmpty();
    assertThat(await(store().delete(name))).isFalse();

    Account again = new Account(name, Instant.now(), bothMechanisms("b"));
    assertThat(await(store().create(again))).isTrue();
    assertThat(await(store().find(name))).contains(again);
  }

  @Test
  void deletingAnUnknownUserAnswersFalse() {
    assertThat(await(store().delete(uniqueUsername()))).isFalse();
  }

  @Test
  void usernamesWithCommasEqualsSignsAndNonAsciiLettersAreStoredAsGiven() {
    String name = "o'neil,=ünïcode-" + UUID.randomUUID();
    Account account = new Account(name, Instant.now(), bothMechanisms("u"));

    assertThat(await(store().create(account))).isTrue();

    assertThat(await(store().find(name))).contains(account);
  }
}

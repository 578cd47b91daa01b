package dev.tern.storage.fast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link FastTokenStore} must have. A test class per implementation extends
 * it and supplies the store; each test uses users and devices of its own, so the store may be
 * shared between tests and hold other data (a real Cassandra keyspace migrated to v4 or later).
 * The store's clock is the system clock.
 */
public abstract class FastTokenStoreContract {

  /** The store under test; may return the same instance on every call. */
  protected abstract FastTokenStore store();

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  private static String uniqueUser() {
    return "user-" + UUID.randomUUID();
  }

  private static String uniqueDevice() {
    return UUID.randomUUID().toString();
  }

  private static FastToken token(String user, String device, String secret, Duration life) {
    return new FastToken(user, device, "HT-SHA-256-NONE",
        secret.getBytes(StandardCharsets.US_ASCII), Instant.now().plus(life));
  }

  @Test
  void aTokenPutIsFoundWithItsMechanismSecretAndExpiry() {
    String user = uniqueUser();
    String device = uniqueDevice();
    FastToken token = new FastToken(user, device, "HT-SHA-256-ENDP",
        "s3cr3t-token".getBytes(StandardCharsets.US_ASCII),
        Instant.now().plus(Duration.ofDays(30)).plusMillis(123));

    await(store().put(token));

    List<FastToken> found = await(store().find(user, device));
    assertThat(found).containsExactly(token);
    assertThat(found.get(0).secret()).isEqualTo(token.secret());
    assertThat(found.get(0).expires()).isEqualTo(token.expires());
  }

  @Test
  void aDeviceHoldsTheCurrentAndTheNewTokenLatestExpiryFirst() {
    String user = uniqueUser();
    String device = uniqueDevice();
    FastToken current = token(user, device, "current", Duration.ofDays(10));
    FastToken next = token(user, device, "new", Duration.ofDays(30));

    await(store().put(current));
    await(store().put(next));

    assertThat(await(store().find(user, device))).containsExactly(next, current);
  }

  @Test
  void anUnknownDeviceHasNoTokens() {
    assertThat(await(store().find(uniqueUser(), uniqueDevice()))).isEmpty();
  }

  @Test
  void tokensBelongToOneUserAndOneDevice() {
    String user = uniqueUser();
    String device = uniqueDevice();
    await(store().put(token(user, device, "mine", Duration.ofDays(1))));

    assertThat(await(store().find(user, uniqueDevice()))).isEmpty();
    assertThat(await(store().find(uniqueUser(), device))).isEmpty();
    assertThat(await(store().find(user.toUpperCase(), device))).isEmpty();
  }

  @Test
  void puttingTheSameSecretAgainReplacesTheToken() {
    String user = uniqueUser();
    String device = uniqueDevice();
    FastToken first = token(user, device, "same", Duration.ofDays(1));
    FastToken longer = new FastToken(user, device, "HT-SHA-256-EXPR", first.secret(),
        first.expires().plus(Duration.ofDays(6)));

    await(store().put(first));
    await(store().put(longer));

    assertThat(await(store().find(user, device))).containsExactly(longer);
  }

  @Test
  void deletingOneTokenByItsSecretKeepsTheOthers() {
    String user = uniqueUser();
    String device = uniqueDevice();
    FastToken current = token(user, device, "current", Duration.ofDays(10));
    FastToken next = token(user, device, "new", Duration.ofDays(30));
    await(store().put(current));
    await(store().put(next));

    await(store().delete(user, device, current.secret()));

    assertThat(await(store().find(user, device))).containsExactly(next);
  }

  @Test
  void deletingAnUnknownSecretChangesNothing() {
    String user = uniqueUser();
    String device = uniqueDevice();
    FastToken token = token(user, device, "kept", Duration.ofDays(1));
    await(store().put(token));

    await(store().delete(user, device, "other".getBytes(StandardCharsets.US_ASCII)));
    await(store().delete(uniqueUser(), device, token.secret()));

    assertThat(await(store().find(user, device))).containsExactly(token);
  }

  @Test
  void deletingAllTokensOfADeviceKeepsTheUsersOtherDevices() {
    String user = uniqueUser();
    String phone = uniqueDevice();
    String laptop = uniqueDevice();
    await(store().put(token(user, phone, "a", Duration.ofDays(1))));
    await(store().put(token(user, phone, "b", Duration.ofDays(2))));
    FastToken kept = token(user, laptop, "c", Duration.ofDays(3));
    await(store().put(kept));

    await(store().deleteAll(user, phone));

    assertThat(await(store().find(user, phone))).isEmpty();
    assertThat(await(store().find(user, laptop))).containsExactly(kept);
  }

  @Test
  void aTokenThatHasAlreadyExpiredIsNotStored() {
    String user = uniqueUser();
    String device = uniqueDevice();
    FastToken expired = new FastToken(user, device, "HT-SHA-256-NONE",
        "old".getBytes(StandardCharsets.US_ASCII), Instant.now().minusSeconds(5));

    await(store().put(expired));

    assertThat(await(store().find(user, device))).isEmpty();
  }

  @Test
  void deletingTheTokensOfAnUnknownDeviceIsNoError() {
    await(store().deleteAll(uniqueUser(), uniqueDevice()));
  }
}

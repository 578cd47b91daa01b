package dev.tern.storage.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link LastActivityStore} must have; each test has users of its own. */
public abstract class LastActivityStoreContract {

  protected abstract LastActivityStore store();

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  private final String juliet = "juliet-" + UUID.randomUUID() + "@example.com";
  private final Instant t0 = Instant.parse("2025-05-01T12:00:00.123Z");

  @Test
  void aUserNeverSeenIsOfflineWithoutLastSeen() {
    assertThat(await(store().lastActivity(juliet))).isEqualTo(LastActivity.NEVER);
  }

  @Test
  void aUserIsOnlineWhileAnyResourceIsAvailable() {
    await(store().available(juliet, "balcony"));
    await(store().available(juliet, "chamber"));
    await(store().unavailable(juliet, "balcony", t0, "gone"));

    assertThat(await(store().lastActivity(juliet)).online()).isTrue();

    await(store().unavailable(juliet, "chamber", t0.plusSeconds(60), "sleeping"));

    assertThat(await(store().lastActivity(juliet)))
        .isEqualTo(new LastActivity(false, Optional.of(t0.plusSeconds(60)), "sleeping"));
  }

  @Test
  void comingBackOnlineKeepsTheLastSeenOfTheLastUnavailablePresence() {
    await(store().available(juliet, "balcony"));
    await(store().unavailable(juliet, "balcony", t0, ""));
    await(store().available(juliet, "balcony"));

    assertThat(await(store().lastActivity(juliet)))
        .isEqualTo(new LastActivity(true, Optional.of(t0), ""));
  }
}

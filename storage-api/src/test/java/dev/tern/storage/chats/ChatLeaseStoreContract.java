package dev.tern.storage.chats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ChatLeaseStore} must have. A test class per implementation extends
 * it and supplies the store; each test uses a home region of its own, so the store may be shared
 * between tests and hold other data (a real Cassandra keyspace migrated to v11 or later).
 */
public abstract class ChatLeaseStoreContract {

  /** The store under test; may return the same instance on every call. */
  protected abstract ChatLeaseStore store();

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  /** This test's home region. */
  private final String home = "region-" + UUID.randomUUID();

  private ChatLease lease(int shard, String owner, long epoch, Instant expires) {
    return new ChatLease(home, shard, owner, epoch, expires);
  }

  private boolean replace(Optional<ChatLease> expected, ChatLease next) {
    return await(store().replace(expected, next));
  }

  @Test
  void aShardWithoutLeaseHasNothingToRead() {
    assertThat(await(store().read(home, 0))).isEmpty();
  }

  @Test
  void theFirstToTakeAShardWithoutLeaseGetsItAndTheSecondDoesNot() {
    ChatLease first = lease(3, "router-1", 1, T0.plusSeconds(10));
    ChatLease second = lease(3, "router-2", 1, T0.plusSeconds(10));

    assertThat(replace(Optional.empty(), first)).isTrue();
    assertThat(replace(Optional.empty(), second)).isFalse();

    assertThat(await(store().read(home, 3))).contains(first);
  }

  @Test
  void theOwnerRenewsItsLeaseByExpectingWhatItHolds() {
    ChatLease held = lease(0, "router-1", 1, T0.plusSeconds(10));
    replace(Optional.empty(), held);
    ChatLease renewed = held.withExpires(T0.plusSeconds(20));

    assertThat(replace(Optional.of(held), renewed)).isTrue();

    assertThat(await(store().read(home, 0))).contains(renewed);
  }

  @Test
  void aReplaceExpectingALeaseThatHasSinceChangedLosesAndChangesNothing() {
    ChatLease held = lease(0, "router-1", 1, T0.plusSeconds(10));
    replace(Optional.empty(), held);
    ChatLease renewed = held.withExpires(T0.plusSeconds(20));
    replace(Optional.of(held), renewed);

    // router-2 saw the lease before its renewal and takes it over as if it had lapsed.
    boolean taken = replace(Optional.of(held), lease(0, "router-2", 2, T0.plusSeconds(30)));
    // The owner's own stale renewal loses the same way.
    boolean renewedFromStale = replace(Optional.of(held), held.withExpires(T0.plusSeconds(40)));

    assertThat(taken).isFalse();
    assertThat(renewedFromStale).isFalse();
    assertThat(await(store().read(home, 0))).contains(renewed);
  }

  @Test
  void aReplaceExpectingALeaseThatDiffersInOwnerOrEpochLoses() {
    ChatLease held = lease(0, "router-1", 4, T0.plusSeconds(10));
    replace(Optional.empty(), held);
    ChatLease next = lease(0, "router-3", 5, T0.plusSeconds(30));

    assertThat(replace(Optional.of(lease(0, "router-2", 4, T0.plusSeconds(10))), next)).isFalse();
    assertThat(replace(Optional.of(lease(0, "router-1", 3, T0.plusSeconds(10))), next)).isFalse();
    assertThat(replace(Optional.of(held), next)).isTrue();
    assertThat(await(store().read(home, 0))).contains(next);
  }

  @Test
  void aReplaceExpectingALeaseWhereThereIsNoneLoses() {
    ChatLease imagined = lease(1, "router-1", 1, T0);

    assertThat(replace(Optional.of(imagined), lease(1, "router-2", 2, T0.plusSeconds(10))))
        .isFalse();

    assertThat(await(store().read(home, 1))).isEmpty();
  }

  @Test
  void ofManyTakingOneShardAtOnceExactlyOneGetsIt() {
    List<CompletableFuture<Boolean>> attempts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      attempts.add(store().replace(Optional.empty(),
          lease(7, "router-" + i, 1, T0.plusSeconds(10))).toCompletableFuture());
    }

    List<Boolean> won = attempts.stream().map(ChatLeaseStoreContract::await).toList();

    assertThat(won).containsOnlyOnce(true);
    ChatLease winner = lease(7, "router-" + won.indexOf(true), 1, T0.plusSeconds(10));
    assertThat(await(store().read(home, 7))).contains(winner);
  }

  @Test
  void allListsEveryShardsLease() {
    ChatLease zero = lease(0, "router-1", 1, T0.plusSeconds(10));
    ChatLease one = lease(1, "router-2", 3, T0.plusSeconds(20));
    ChatLease elsewhere = new ChatLease("region-" + UUID.randomUUID(), 0, "router-9", 2,
        T0.plusSeconds(30));
    replace(Optional.empty(), zero);
    replace(Optional.empty(), one);
    replace(Optional.empty(), elsewhere);
    ChatLease renewed = one.withExpires(T0.plus(Duration.ofMinutes(1)));
    replace(Optional.of(one), renewed);

    List<ChatLease> all = await(store().all());

    assertThat(all.stream().filter(l -> l.home().equals(home)))
        .containsExactlyInAnyOrder(zero, renewed);
    assertThat(all).contains(elsewhere);
  }
}

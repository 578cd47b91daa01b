package dev.tern.storage.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link BlockListStore} must have (XEP-0191 §3). A test class per
 * implementation extends it and supplies the store; each test uses users of its own, so the store
 * may be shared between tests and hold other data (a real Cassandra keyspace migrated to v9 or
 * later).
 */
public abstract class BlockListStoreContract {

  /** The store under test; may return the same instance on every call. */
  protected abstract BlockListStore store();

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  private static String uniqueUser() {
    return "juliet-" + UUID.randomUUID() + "@capulet.lit";
  }

  @Test
  void aUserWhoBlockedNobodyHasAnEmptyList() {
    assertThat(await(store().blocked(uniqueUser()))).isEmpty();
  }

  @Test
  void everyKindOfJidCanBeBlockedAndIsListed() {
    String user = uniqueUser();

    await(store().block(user, List.of("romeo@montague.lit", "iago@shakespeare.lit/pda",
        "montague.lit", "capulet.lit/balcony")));

    assertThat(await(store().blocked(user))).containsExactlyInAnyOrder("romeo@montague.lit",
        "iago@shakespeare.lit/pda", "montague.lit", "capulet.lit/balcony");
  }

  @Test
  void blockingAJidTwiceListsItOnce() {
    String user = uniqueUser();

    await(store().block(user, List.of("romeo@montague.lit", "romeo@montague.lit")));
    await(store().block(user, List.of("romeo@montague.lit", "tybalt@capulet.lit")));

    assertThat(await(store().blocked(user)))
        .containsExactlyInAnyOrder("romeo@montague.lit", "tybalt@capulet.lit");
  }

  @Test
  void unblockRemovesOnlyTheNamedJidsAndIgnoresOthers() {
    String user = uniqueUser();
    await(store().block(user, List.of("romeo@montague.lit", "iago@shakespeare.lit",
        "tybalt@capulet.lit")));

    await(store().unblock(user, List.of("romeo@montague.lit", "nobody@nowhere.lit")));

    assertThat(await(store().blocked(user)))
        .containsExactlyInAnyOrder("iago@shakespeare.lit", "tybalt@capulet.lit");
  }

  @Test
  void unblockAllEmptiesTheListAndBlockingWorksAgainAfterwards() {
    String user = uniqueUser();
    await(store().block(user, List.of("romeo@montague.lit", "iago@shakespeare.lit")));

    await(store().unblockAll(user));
    assertThat(await(store().blocked(user))).isEmpty();

    await(store().block(user, List.of("romeo@montague.lit")));
    assertThat(await(store().blocked(user))).containsExactly("romeo@montague.lit");
  }

  @Test
  void listsOfDifferentUsersAreApart() {
    String juliet = uniqueUser();
    String nurse = uniqueUser();

    await(store().block(juliet, List.of("romeo@montague.lit")));
    await(store().block(nurse, List.of("peter@capulet.lit")));
    await(store().unblockAll(nurse));

    assertThat(await(store().blocked(juliet))).containsExactly("romeo@montague.lit");
    assertThat(await(store().blocked(nurse))).isEmpty();
  }

  @Test
  void aLongListIsBlockedAndUnblockedComplete() {
    String user = uniqueUser();
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      many.add("spammer" + i + "@spam.lit/" + "r".repeat(100));
    }

    await(store().block(user, many));
    assertThat(await(store().blocked(user))).containsExactlyInAnyOrderElementsOf(many);

    await(store().unblock(user, many.subList(0, 200)));
    assertThat(await(store().blocked(user)))
        .containsExactlyInAnyOrderElementsOf(many.subList(200, 250));
  }

  @Test
  void blockingOrUnblockingNothingChangesNothing() {
    String user = uniqueUser();
    await(store().block(user, List.of("romeo@montague.lit")));

    await(store().block(user, List.of()));
    await(store().unblock(user, List.of()));

    assertThat(await(store().blocked(user))).containsExactly("romeo@montague.lit");
  }
}

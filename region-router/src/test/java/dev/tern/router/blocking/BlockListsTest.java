package dev.tern.router.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.storage.blocking.BlockListStore;
import dev.tern.storage.blocking.InMemoryBlockListStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BlockListsTest {

  private static final String JULIET = "juliet@capulet.lit";
  private static final String ROMEO = "romeo@montague.lit";

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** The in-memory store, counting reads, failing them on demand. */
  static final class CountingStore implements BlockListStore {
    final InMemoryBlockListStore store = new InMemoryBlockListStore();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicBoolean down = new AtomicBoolean();

    @Override
    public CompletionStage<Set<String>> blocked(String user) {
      reads.incrementAndGet();
      return down.get() ? CompletableFuture.failedFuture(new IllegalStateException("down"))
          : store.blocked(user);
    }

    @Override
    public CompletionStage<Void> block(String user, Collection<String> jids) {
      return store.block(user, jids);
    }

    @Override
    public CompletionStage<Void> unblock(String user, Collection<String> jids) {
      return store.unblock(user, jids);
    }

    @Override
    public CompletionStage<Void> unblockAll(String user) {
      return store.unblockAll(user);
    }
  }

  private final ManualClock clock = new ManualClock();
  private final CountingStore store = new CountingStore();
  private final List<Runnable> later = new ArrayList<>();
  private final BlockLists lists = new BlockLists(store,
      new BlockLists.Settings(Duration.ofSeconds(30), 3, Duration.ofSeconds(2)), clock, later::add);

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get();
  }

  @Test
  void aListIsReadOnceAndUsedUntilItsTtlHasPassed() throws Exception {
    get(store.block(JULIET, List.of(ROMEO)));

    assertThat(get(lists.blocks(JULIET, ROMEO + "/orchard"))).isTrue();
    clock.advance(Duration.ofSeconds(29));
    assertThat(get(lists.blocks(JULIET, ROMEO))).isTrue();
    assertThat(store.reads).hasValue(1);

    get(store.unblockAll(JULIET)); // changed behind the cache's back, nobody announced it
    clock.advance(Duration.ofSeconds(1));
    assertThat(get(lists.blocks(JULIET, ROMEO))).as("read again after the TTL").isFalse();
    assertThat(store.reads).hasValue(2);
  }

  @Test
  void aChangeMadeHereIsSeenAtOnce() throws Exception {
    assertThat(get(lists.blocks(JULIET, ROMEO))).isFalse();

    get(store.block(JULIET, List.of(ROMEO)));
    lists.invalidate(JULIET);

    assertThat(get(lists.blocks(JULIET, ROMEO))).isTrue();
  }

  @Test
  void aChangeAnnouncedFromElsewhereIsReadAgainAndOnceMoreAfterTheReplicationGrace()
      throws Exception {
    assertThat(get(lists.blocks(JULIET, ROMEO))).isFalse();

    lists.changedElsewhere(JULIET);
    // This region's datacenter has not had the change yet: the re-read still finds nothing.
    assertThat(get(lists.blocks(JULIET, ROMEO))).isFalse();
    get(store.block(JULIET, List.of(ROMEO))); // now it has replicated
    assertThat(later).hasSize(1);
    later.forEach(Runnable::run); // the grace has passed

    assertThat(get(lists.blocks(JULIET, ROMEO))).isTrue();
    assertThat(store.reads).hasValue(3);
  }

  @Test
  void aFailedReadFailsTheCallerAndIsNotKept() throws Exception {
    store.down.set(true);
    assertThatThrownBy(() -> get(lists.of(JULIET))).isInstanceOf(ExecutionException.class);

    store.down.set(false);
    assertThat(get(lists.of(JULIET)).items()).isEmpty();
  }

  @Test
  void theLeastRecentlyUsedListGoesWhenMoreUsersThanTheLimitAreKept() throws Exception {
    for (String user : List.of("a@x.lit", "b@x.lit", "c@x.lit")) {
      get(lists.of(user));
    }
    get(lists.of("a@x.lit")); // used again: b is now the least recent
    get(lists.of("d@x.lit"));
    assertThat(store.reads).hasValue(4);

    get(lists.of("a@x.lit"));
    assertThat(store.reads).as("a is kept").hasValue(4);
    get(lists.of("b@x.lit"));
    assertThat(store.reads).as("b was dropped").hasValue(5);
  }

  @Test
  void theVerdictNamesWhoBlockedWhomTheSendersOwnBlockFirst() throws Exception {
    assertThat(get(lists.verdict(ROMEO + "/orchard", JULIET))).isEqualTo(Verdict.ALLOWED);

    get(store.block(JULIET, List.of(ROMEO)));
    lists.invalidate(JULIET);
    assertThat(get(lists.verdict(ROMEO + "/orchard", JULIET)))
        .isEqualTo(Verdict.BLOCKED_BY_RECIPIENT);
    assertThat(get(lists.verdict(JULIET + "/balcony", ROMEO)))
        .isEqualTo(Verdict.BLOCKED_BY_SENDER);

    get(store.block(ROMEO, List.of(JULIET)));
    lists.invalidate(ROMEO);
    assertThat(get(lists.verdict(ROMEO + "/orchard", JULIET)))
        .as("both blocked: the sender's server refuses first").isEqualTo(Verdict.BLOCKED_BY_SENDER);
  }

  @Test
  void aBlockOfOneResourceStopsOnlyThatResource() throws Exception {
    get(store.block(JULIET, List.of(ROMEO + "/orchard")));

    assertThat(get(lists.verdict(ROMEO + "/orchard", JULIET))).isEqualTo(Verdict.BLOCKED_BY_RECIPIENT);
    assertThat(get(lists.verdict(ROMEO + "/garden", JULIET))).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void settingsThatCannotWorkAreRefused() {
    assertThatThrownBy(() -> new BlockLists.Settings(Duration.ZERO, 10, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BlockLists.Settings(Duration.ofSeconds(1), 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aVerdictBetweenAddressesOneOfWhichIsNoJidFailsWithoutReadingAList() {
    assertThatThrownBy(() -> get(lists.verdict(ROMEO + "/", JULIET)))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> get(lists.verdict(ROMEO, "@capulet.lit")))
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThat(store.reads).hasValue(0);
  }

  @Test
  void aVerdictLooksUpBothUsersByTheirBareJids() throws Exception {
    get(store.block(JULIET, List.of(ROMEO)));

    assertThat(get(lists.verdict(ROMEO + "/orchard", JULIET + "/balcony")))
        .isEqualTo(Verdict.BLOCKED_BY_RECIPIENT);
    assertThat(get(lists.verdict(JULIET + "/balcony", ROMEO))).isEqualTo(Verdict.BLOCKED_BY_SENDER);
    assertThat(get(lists.verdict("nurse@capulet.lit/kitchen", JULIET)))
        .isEqualTo(Verdict.ALLOWED);
  }
}

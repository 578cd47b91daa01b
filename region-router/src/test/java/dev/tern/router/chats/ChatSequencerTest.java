package dev.tern.router.chats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.storage.chats.ChatLease;
import dev.tern.storage.chats.InMemoryChatLeaseStore;
import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.ChatSeq;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Chat leases over the in-memory store, on a clock the test moves. */
class ChatSequencerTest {

  private static final Duration LEASE = Duration.ofSeconds(10);
  private static final ChatId CHAT = ChatId.direct("alice@localhost", "bob@localhost");

  /** A clock the test sets. */
  private static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-12-07T12:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  private final TestClock clock = new TestClock();
  private final InMemoryChatLeaseStore leases = new InMemoryChatLeaseStore();

  private ChatSequencer router(String region, String name, int slot) {
    return new ChatSequencer(region, new ChatSettings(4, LEASE, name, slot,
        java.util.Set.of("region-a", "region-b")), leases, clock);
  }

  private long next(ChatSequencer s, String home) {
    return s.next(s.shard(CHAT, home)).orElseThrow();
  }

  @Test
  void aRouterTakesEveryFreeShardOfItsRegionAndNumbersTheirChatsInIncreasingOrder() {
    ChatSequencer a = router("region-a", "a1", 0);

    assertThat(a.maintain()).isTrue();

    assertThat(a.heldCount()).isEqualTo(4);
    long first = next(a, "region-a");
    long second = next(a, "region-a");
    clock.advance(Duration.ofMillis(5));
    long third = next(a, "region-a");
    assertThat(second).isGreaterThan(first);
    assertThat(third).isGreaterThan(second);
    assertThat(ChatSeq.time(third)).isEqualTo(clock.now);
    assertThat(a.ownerOf(a.shard(CHAT, "region-a"))).contains("a1");
  }

  @Test
  void aSecondRouterOfTheRegionTakesNothingHeldAndForwardsToTheHolder() {
    ChatSequencer a1 = router("region-a", "a1", 0);
    ChatSequencer a2 = router("region-a", "a2", 0);
    a1.maintain();

    a2.maintain();

    assertThat(a2.heldCount()).isZero();
    assertThat(a2.next(a2.shard(CHAT, "region-a"))).isEmpty();
    assertThat(a2.ownerOf(a2.shard(CHAT, "region-a"))).contains("a1");
  }

  @Test
  void whenTheHolderDiesAnotherRouterTakesOverAfterTheLeaseWithHigherNumbers() {
    ChatSequencer a1 = router("region-a", "a1", 0);
    ChatSequencer a2 = router("region-a", "a2", 0);
    a1.maintain();
    long last = next(a1, "region-a");
    clock.advance(LEASE.minusSeconds(1));
    a2.maintain();
    assertThat(a2.heldCount()).as("not before the lease lapsed").isZero();
    assertThat(a1.next(a1.shard(CHAT, "region-a"))).as("a1 stops numbering before it lapses")
        .isEmpty();

    clock.advance(Duration.ofSeconds(1));
    a2.maintain();

    assertThat(a2.heldCount()).isEqualTo(4);
    long taken = next(a2, "region-a");
    assertThat(taken).isGreaterThan(last);
    assertThat(ChatSeq.epoch(taken)).isGreaterThan(ChatSeq.epoch(last));
    a1.maintain();
    assertThat(a1.heldCount()).as("its renewal fails: the lease is a2's").isZero();
  }

  @Test
  void numbersOfARestartedRouterAreAboveItsOldOnesEvenIfItsClockWentBack() {
    ChatSequencer before = router("region-a", "a1", 0);
    before.maintain();
    long last = next(before, "region-a");
    clock.now = clock.now.minus(Duration.ofHours(1));

    ChatSequencer after = router("region-a", "a1", 0);
    after.maintain();

    long again = next(after, "region-a");
    assertThat(again).isGreaterThan(last);
    assertThat(ChatSeq.time(again)).as("no earlier than the old lease could have numbered")
        .isAfterOrEqualTo(ChatSeq.time(last));
  }

  @Test
  void aRouterRestartedUnderItsNameTakesItsLeasesBackAtOnce() {
    ChatSequencer before = router("region-a", "a1", 0);
    before.maintain();
    long last = next(before, "region-a");

    ChatSequencer after = router("region-a", "a1", 0);
    after.maintain();

    assertThat(after.heldCount()).isEqualTo(4);
    assertThat(next(after, "region-a")).isGreaterThan(last);
  }

  @Test
  void aCleanStopLetsTheNextRouterTakeOverWithoutWaiting() {
    ChatSequencer a1 = router("region-a", "a1", 0);
    a1.maintain();

    a1.releaseAll();
    ChatSequencer a2 = router("region-a", "a2", 0);
    a2.maintain();

    assertThat(a2.heldCount()).isEqualTo(4);
  }

  @Test
  void anotherRegionTakesTheShardsOfARegionWhoseRoutersWentQuietAndGivesThemBackWhenHeard() {
    ChatSequencer b = router("region-b", "b1", 1);
    ChatSequencer a = router("region-a", "a1", 0);
    b.maintain();
    a.maintain();
    long inB = next(b, "region-b");
    assertThat(a.ownerOf(a.shard(CHAT, "region-b"))).contains("b1");
    clock.advance(LEASE.dividedBy(2));
    a.heardFrom("region-b");

    clock.advance(LEASE.dividedBy(2)); // b's leases lapsed, but region-b was heard since
    a.maintain();
    assertThat(a.heldCount()).as("region-b was heard within the lease: not taken").isEqualTo(4);

    clock.advance(LEASE.dividedBy(2)); // region-b quiet for a whole lease
    a.maintain();
    assertThat(a.heldCount()).isEqualTo(8);
    long inA = next(a, "region-b");
    assertThat(inA).isGreaterThan(inB);
    assertThat(ChatSeq.epoch(inA) % ChatSettings.MAX_REGIONS).as("region-a's epochs").isZero();

    a.heardFrom("region-b"); // region-b is back
    a.maintain();
    assertThat(a.heldCount()).as("given back").isEqualTo(4);
    ChatSequencer b2 = router("region-b", "b1", 1);
    b2.maintain();
    assertThat(b2.heldCount()).isEqualTo(4);
    assertThat(next(b2, "region-b")).isGreaterThan(inA);
  }

  @Test
  void twoRegionsNeverStartTheSameEpoch() {
    ChatSettings a = new ChatSettings(1, LEASE, "a", 0, java.util.Set.of("region-a"));
    ChatSettings b = new ChatSettings(1, LEASE, "b", 1, java.util.Set.of("region-b"));

    assertThat(a.nextEpoch(0)).isNotEqualTo(b.nextEpoch(0));
    assertThat(a.nextEpoch(9)).isNotEqualTo(b.nextEpoch(8));
    assertThat(b.nextEpoch(a.nextEpoch(0))).isGreaterThan(a.nextEpoch(0));
  }

  @Test
  void theLapsedLeasesOfARegionOutsideTheFederationAreLeftAlone() {
    leases.replace(Optional.empty(), new ChatLease("region-x", 0, "x1", 9, clock.now));
    ChatSequencer a = router("region-a", "a1", 0);
    clock.advance(LEASE.multipliedBy(3));

    a.maintain();

    assertThat(a.heldCount()).isEqualTo(4);
  }

  @Test
  void aLeaseTakenInTheStoreByAnotherRouterIsSeenAsItsOwner() {
    leases.replace(Optional.empty(), new ChatLease("region-b", 2, "b7", 9,
        clock.now.plus(LEASE)));
    ChatSequencer a = router("region-a", "a1", 0);

    a.maintain();

    assertThat(a.ownerOf(new ChatSequencer.Shard("region-b", 2))).contains("b7");
    assertThat(a.ownerOf(new ChatSequencer.Shard("region-b", 3))).isEmpty();
  }
}

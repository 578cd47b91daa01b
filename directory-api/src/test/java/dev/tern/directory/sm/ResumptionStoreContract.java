package dev.tern.directory.sm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ResumptionStore} must have. A test class per implementation extends
 * it; each test uses session ids of its own, so the store may be shared and hold other data (the
 * region's real Redis Cluster).
 */
public abstract class ResumptionStoreContract {

  /** How much longer than its window a live session lasts; the stores are built with it. */
  protected static final Duration GRACE = Duration.ofMillis(300);

  private static final String ALICE = "alice@example.com";
  private static final String MALLORY = "mallory@example.com";
  private static final Duration WINDOW = Duration.ofMinutes(5);
  private static final Duration SHORT_WINDOW = Duration.ofMillis(500);

  /** The store of one edge. */
  protected abstract ResumptionStore store();

  /** The store of another edge of the same region: same data, another client. */
  protected abstract ResumptionStore anotherEdge();

  /** Lets {@code time} pass as far as the stores' expiry is concerned. */
  protected abstract void elapse(Duration time);

  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the store failed", e.getCause());
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  private static ResumableSession session(Duration window) {
    return ResumableSession.enabled(ResumableSession.newLease(), ALICE,
        ALICE + "/balcony", window);
  }

  private static String message(int n) {
    return "<message xmlns='jabber:client' to='" + ALICE + "/balcony' id='m" + n + "'>"
        + "<body>n° " + n + " &amp; ☺</body></message>";
  }

  @Test
  void aSavedSessionIsTakenByItsOwnerWithEverythingNeededToResume() {
    ResumableSession saved = new ResumableSession(ResumableSession.newLease(), ALICE,
        ALICE + "/balcony", ResumableSession.newLease(), 7, 3, List.of(message(4), message(5)),
        WINDOW);
    await(store().save(saved));

    ResumableSession taken = await(store().take(saved.id(), ALICE)).orElseThrow();

    assertThat(taken.id()).isEqualTo(saved.id());
    assertThat(taken.ownerBareJid()).isEqualTo(ALICE);
    assertThat(taken.fullJid()).isEqualTo(ALICE + "/balcony");
    assertThat(taken.inboundHandled()).isEqualTo(7);
    assertThat(taken.outboundAcked()).isEqualTo(3);
    assertThat(taken.outboundSent()).isEqualTo(5);
    assertThat(taken.unacked()).containsExactly(message(4), message(5));
    assertThat(taken.resumeWindow()).isEqualTo(WINDOW);
    assertThat(taken.lease()).isNotEqualTo(saved.lease());
  }

  @Test
  void carbonsAndTheLastPresenceAreTakenOverWithTheSession() {
    String presence = "<presence xmlns='jabber:client' from='" + ALICE + "/balcony'>"
        + "<show>away</show><status>à bientôt</status></presence>";
    ResumableSession saved = session(WINDOW);
    await(store().save(saved));
    assertThat(await(store().sessionState(saved.id(), saved.lease(), true, presence))).isTrue();

    ResumableSession taken = await(anotherEdge().take(saved.id(), ALICE)).orElseThrow();

    assertThat(taken.carbons()).isTrue();
    assertThat(taken.presence()).isEqualTo(presence);
  }

  @Test
  void aSavedSnapshotKeepsCarbonsAndPresenceAndOnlyItsLeaseMayChangeThem() {
    ResumableSession saved = session(WINDOW).withSessionState(true, "<presence/>");
    await(store().save(saved));

    assertThat(await(anotherEdge().sessionState(saved.id(), "another lease", false, "")))
        .isFalse();
    ResumableSession taken = await(store().take(saved.id(), ALICE)).orElseThrow();
    assertThat(taken.carbons()).isTrue();
    assertThat(taken.presence()).isEqualTo("<presence/>");
  }

  @Test
  void aSessionSavedWithoutCarbonsOrPresenceHasNeither() {
    ResumableSession saved = session(WINDOW);
    await(store().save(saved));

    ResumableSession taken = await(store().take(saved.id(), ALICE)).orElseThrow();
    assertThat(taken.carbons()).isFalse();
    assertThat(taken.presence()).isEmpty();
  }

  @Test
  void anotherUsersSessionIsNotFoundAndStaysResumableForItsOwner() {
    ResumableSession saved = session(WINDOW);
    await(store().save(saved));

    assertThat(await(anotherEdge().take(saved.id(), MALLORY))).isEmpty();
    assertThat(await(store().take(saved.id(), ALICE))).isPresent();
  }

  @Test
  void aTakenSessionCannotBeTakenAgain() {
    ResumableSession saved = session(WINDOW);
    await(store().save(saved));

    assertThat(await(anotherEdge().take(saved.id(), ALICE))).isPresent();
    assertThat(await(anotherEdge().take(saved.id(), ALICE))).isEmpty();
    assertThat(await(store().take(saved.id(), ALICE))).isEmpty();
  }

  @Test
  void ofTwoEdgesRacingToTakeASessionExactlyOneGetsIt() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 20; round++) {
        ResumableSession saved = session(WINDOW);
        await(store().save(saved));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<ResumableSession>>> takes = new ArrayList<>();
        for (ResumptionStore edge : List.of(store(), anotherEdge())) {
          takes.add(threads.submit(() -> {
            start.await();
            return await(edge.take(saved.id(), ALICE));
          }));
        }
        start.countDown();
        int got = 0;
        for (Future<Optional<ResumableSession>> take : takes) {
          got += take.get(30, TimeUnit.SECONDS).isPresent() ? 1 : 0;
        }
        assertThat(got).as("round %d", round).isEqualTo(1);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void anUnknownOrMalformedIdIsNotFound() {
    assertThat(await(store().take(ResumableSession.newLease(), ALICE))).isEmpty();
    assertThat(await(store().take("{tern:sm}", ALICE))).isEmpty();
    assertThat(await(store().take("", ALICE))).isEmpty();
  }

  @Test
  void stanzasSentAreKeptInOrderUntilTheClientAcknowledgesThem() {
    ResumableSession s = session(WINDOW);
    await(store().save(s));
    for (int n = 1; n <= 4; n++) {
      assertThat(await(store().appendUnacked(s.id(), s.lease(), message(n)))).isTrue();
    }

    assertThat(await(store().ack(s.id(), s.lease(), 2))).isTrue();

    ResumableSession taken = await(store().take(s.id(), ALICE)).orElseThrow();
    assertThat(taken.outboundAcked()).isEqualTo(2);
    assertThat(taken.unacked()).containsExactly(message(3), message(4));
    assertThat(taken.outboundSent()).isEqualTo(4);
  }

  @Test
  void acksCountModulo2To32() {
    long nearTheEnd = ResumableSession.H_MODULUS - 2;
    ResumableSession s = new ResumableSession(ResumableSession.newLease(), ALICE,
        ALICE + "/balcony", ResumableSession.newLease(), 0, nearTheEnd, List.of(), WINDOW);
    await(store().save(s));
    for (int n = 1; n <= 4; n++) {
      await(store().appendUnacked(s.id(), s.lease(), message(n)));
    }

    // 2^32-2 → 2^32-1 → 0 → 1: three stanzas acknowledged, across the wrap
    await(store().ack(s.id(), s.lease(), 1));

    ResumableSession taken = await(store().take(s.id(), ALICE)).orElseThrow();
    assertThat(taken.outboundAcked()).isEqualTo(1);
    assertThat(taken.unacked()).containsExactly(message(4));
    assertThat(taken.outboundSent()).isEqualTo(2);
  }

  @Test
  void anAckBehindTheStoredOneChangesNothing() {
    ResumableSession s = session(WINDOW);
    await(store().save(s));
    for (int n = 1; n <= 3; n++) {
      await(store().appendUnacked(s.id(), s.lease(), message(n)));
    }
    await(store().ack(s.id(), s.lease(), 2));

    assertThat(await(store().ack(s.id(), s.lease(), 1))).isTrue();

    ResumableSession taken = await(store().take(s.id(), ALICE)).orElseThrow();
    assertThat(taken.outboundAcked()).isEqualTo(2);
    assertThat(taken.unacked()).containsExactly(message(3));
  }

  @Test
  void anAckBeyondTheStoredStanzasEmptiesTheList() {
    ResumableSession s = session(WINDOW);
    await(store().save(s));
    await(store().appendUnacked(s.id(), s.lease(), message(1)));

    await(store().ack(s.id(), s.lease(), 3));

    ResumableSession taken = await(store().take(s.id(), ALICE)).orElseThrow();
    assertThat(taken.outboundAcked()).isEqualTo(3);
    assertThat(taken.unacked()).isEmpty();
  }

  @Test
  void theServersHandledCountIsKept() {
    ResumableSession s = session(WINDOW);
    await(store().save(s));

    assertThat(await(store().handled(s.id(), s.lease(), 41))).isTrue();
    assertThat(await(store().handled(s.id(), s.lease(), 42))).isTrue();

    assertThat(await(store().take(s.id(), ALICE)).orElseThrow().inboundHandled()).isEqualTo(42);
  }

  @Test
  void callsFiredWithoutWaitingTakeEffectInOrder() {
    ResumableSession s = session(WINDOW);
    await(store().save(s));
    List<CompletionStage<Boolean>> calls = new ArrayList<>();
    for (int n = 1; n <= 50; n++) {
      calls.add(store().appendUnacked(s.id(), s.lease(), message(n)));
      calls.add(store().handled(s.id(), s.lease(), n));
      if (n % 10 == 0) {
        calls.add(store().ack(s.id(), s.lease(), n - 5));
      }
    }
    calls.forEach(ResumptionStoreContract::await);

    ResumableSession taken = await(store().take(s.id(), ALICE)).orElseThrow();
    assertThat(taken.inboundHandled()).isEqualTo(50);
    assertThat(taken.outboundAcked()).isEqualTo(45);
    assertThat(taken.unacked())
        .containsExactly(message(46), message(47), message(48), message(49), message(50));
  }

  @Test
  void theConnectionThatLostItsSessionCanNoLongerWriteIt() {
    ResumableSession old = session(WINDOW);
    await(store().save(old));
    await(store().appendUnacked(old.id(), old.lease(), message(1)));
    ResumableSession resumed = await(anotherEdge().take(old.id(), ALICE)).orElseThrow();
    await(anotherEdge().save(resumed));

    assertThat(await(store().appendUnacked(old.id(), old.lease(), message(2)))).isFalse();
    assertThat(await(store().ack(old.id(), old.lease(), 1))).isFalse();
    assertThat(await(store().handled(old.id(), old.lease(), 9))).isFalse();
    assertThat(await(store().refresh(old.id(), old.lease()))).isFalse();
    assertThat(await(store().detach(old.id(), old.lease()))).isFalse();
    await(store().remove(old.id(), old.lease()));
    assertThatThrownBy(() -> await(store().save(old)))
        .hasCauseInstanceOf(IllegalStateException.class);

    ResumableSession kept = await(anotherEdge().take(old.id(), ALICE)).orElseThrow();
    assertThat(kept.unacked()).containsExactly(message(1));
    assertThat(kept.outboundAcked()).isZero();
    assertThat(kept.inboundHandled()).isZero();
  }

  @Test
  void savingAgainUnderTheSameLeaseReplacesEverything() {
    ResumableSession s = session(WINDOW);
    await(store().save(s));
    await(store().appendUnacked(s.id(), s.lease(), message(1)));

    await(store().save(new ResumableSession(s.id(), ALICE, ALICE + "/balcony", s.lease(), 5, 9,
        List.of(message(10)), WINDOW)));

    ResumableSession taken = await(store().take(s.id(), ALICE)).orElseThrow();
    assertThat(taken.inboundHandled()).isEqualTo(5);
    assertThat(taken.outboundAcked()).isEqualTo(9);
    assertThat(taken.unacked()).containsExactly(message(10));
  }

  @Test
  void aRemovedSessionCannotBeResumedButOnlyItsHolderRemovesIt() {
    ResumableSession s = session(WINDOW);
    await(store().save(s));

    await(store().remove(s.id(), ResumableSession.newLease()));
    await(store().remove(s.id(), ""));
    assertThat(await(store().refresh(s.id(), s.lease()))).isTrue();

    await(store().remove(s.id(), s.lease()));
    assertThat(await(store().take(s.id(), ALICE))).isEmpty();
  }

  @Test
  void aDetachedSessionIsHeldByNoConnectionButCanBeResumed() {
    ResumableSession s = session(WINDOW);
    await(store().save(s));

    assertThat(await(store().detach(s.id(), s.lease()))).isTrue();

    assertThat(await(store().appendUnacked(s.id(), s.lease(), message(1)))).isFalse();
    assertThat(await(store().refresh(s.id(), s.lease()))).isFalse();
    assertThat(await(anotherEdge().take(s.id(), ALICE))).isPresent();
  }

  @Test
  void aHolderFinishingWhatItsClientSentIsSeenUntilItDetaches() {
    ResumableSession s = session(WINDOW);
    await(store().save(s));
    assertThat(await(anotherEdge().isFinishing(s.id()))).isFalse();

    assertThat(await(store().finishing(s.id(), "another lease"))).isFalse();
    assertThat(await(store().finishing(s.id(), s.lease()))).isTrue();
    assertThat(await(anotherEdge().isFinishing(s.id()))).isTrue();
    assertThat(await(store().handled(s.id(), s.lease(), 3))).as("still held").isTrue();

    await(store().detach(s.id(), s.lease()));
    assertThat(await(anotherEdge().isFinishing(s.id()))).isFalse();
    assertThat(await(anotherEdge().take(s.id(), ALICE)).orElseThrow().inboundHandled())
        .isEqualTo(3);
    assertThat(await(anotherEdge().isFinishing("no such session"))).isFalse();
  }

  @Test
  void aDetachedSessionExpiresWhenItsResumeWindowEnds() {
    ResumableSession early = session(SHORT_WINDOW);
    ResumableSession late = session(SHORT_WINDOW);
    await(store().save(early));
    await(store().save(late));
    await(store().detach(early.id(), early.lease()));
    await(store().detach(late.id(), late.lease()));

    elapse(SHORT_WINDOW.dividedBy(5));
    assertThat(await(anotherEdge().take(early.id(), ALICE))).isPresent();

    elapse(SHORT_WINDOW);
    assertThat(await(anotherEdge().take(late.id(), ALICE))).isEmpty();
  }

  @Test
  void aLiveSessionExpiresItsWindowPlusGraceAfterItsLastWrite() {
    ResumableSession s = session(SHORT_WINDOW);
    await(store().save(s));
    Duration liveTtl = SHORT_WINDOW.plus(GRACE);

    elapse(liveTtl.multipliedBy(2).dividedBy(3));
    assertThat(await(store().refresh(s.id(), s.lease()))).isTrue();
    elapse(liveTtl.multipliedBy(2).dividedBy(3));
    assertThat(await(store().appendUnacked(s.id(), s.lease(), message(1)))).isTrue();
    elapse(liveTtl.multipliedBy(2).dividedBy(3));
    assertThat(await(store().refresh(s.id(), s.lease()))).as("alive after its last write")
        .isTrue();

    elapse(liveTtl.plus(Duration.ofMillis(200)));
    assertThat(await(store().refresh(s.id(), s.lease()))).isFalse();
    assertThat(await(anotherEdge().take(s.id(), ALICE))).isEmpty();
  }
}

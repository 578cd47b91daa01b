package dev.tern.edge.sm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumedAcksTest {

  private final ResumedAcks acks = new ResumedAcks();
  private final List<String> ran = new ArrayList<>();

  @Test
  void whatTheResumesHAcknowledgedRunsItsActionWhenClaimed() {
    acks.acknowledged("sid-1");

    assertThat(acks.claim("sid-1", () -> ran.add("sid-1"))).isTrue();

    assertThat(ran).containsExactly("sid-1");
  }

  @Test
  void whatWasSentAgainRunsItsActionOnceAcknowledgedBeforeOrAfterTheClaim() {
    ResumedAcks.Entry first = acks.resent("sid-1");
    ResumedAcks.Entry second = acks.resent("sid-2");
    first.run(); // acknowledged before the unread queue was read again

    assertThat(acks.claim("sid-1", () -> ran.add("sid-1"))).isTrue();
    assertThat(acks.claim("sid-2", () -> ran.add("sid-2"))).isTrue();
    assertThat(ran).containsExactly("sid-1");
    second.run();

    assertThat(ran).containsExactly("sid-1", "sid-2");
  }

  @Test
  void aStanzaIsClaimedOnceAndAnUnknownOneNever() {
    acks.acknowledged("sid-1");
    acks.claim("sid-1", () -> ran.add("first"));

    assertThat(acks.claim("sid-1", () -> ran.add("again"))).isFalse();
    assertThat(acks.claim("sid-9", () -> ran.add("unknown"))).isFalse();
    assertThat(ran).containsExactly("first");
  }
}

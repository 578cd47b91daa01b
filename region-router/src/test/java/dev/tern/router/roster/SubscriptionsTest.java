package dev.tern.router.roster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.Subscription;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The state tables of RFC 6121 Appendix A, row by row where Tern implements them. */
class SubscriptionsTest {

  private static final String CONTACT = "romeo@example.net";

  private static Optional<RosterItem> item(Subscription s, boolean ask) {
    return Optional.of(RosterItem.of(CONTACT).withSubscription(s).withAsk(ask));
  }

  private static Optional<RosterItem> changed(Subscriptions.Change c) {
    return c.updated();
  }

  // ---- A.2 outbound subscribe / A.4 outbound unsubscribe ----

  @Test
  void subscribingToANewContactAddsAnItemWithNoneAndPendingOut() {
    Subscriptions.Change c = Subscriptions.outboundSubscribe(Optional.empty(), CONTACT);

    assertThat(c.forward()).isTrue();
    assertThat(c.updated()).contains(RosterItem.of(CONTACT).withAsk(true));
  }

  @Test
  void subscribingFromFromBecomesFromWithPendingOut() {
    assertThat(changed(Subscriptions.outboundSubscribe(item(Subscription.FROM, false), CONTACT)))
        .contains(RosterItem.of(CONTACT).withSubscription(Subscription.FROM).withAsk(true));
  }

  @Test
  void subscribingWhenAlreadySubscribedChangesNothingButStillGoesToTheContact() {
    Subscriptions.Change c = Subscriptions.outboundSubscribe(item(Subscription.BOTH, false), CONTACT);

    assertThat(c.updated()).isEmpty();
    assertThat(c.forward()).isTrue();
  }

  @Test
  void unsubscribingFromBothLeavesFromAndFromPendingOutLeavesNone() {
    assertThat(changed(Subscriptions.outboundUnsubscribe(item(Subscription.BOTH, false))))
        .contains(RosterItem.of(CONTACT).withSubscription(Subscription.FROM));
    assertThat(changed(Subscriptions.outboundUnsubscribe(item(Subscription.NONE, true))))
        .contains(RosterItem.of(CONTACT));
  }

  // ---- A.3 outbound subscribed / unsubscribed ----

  @Test
  void approvingAPendingRequestGivesFromAndGoesToTheContact() {
    Subscriptions.Change none = Subscriptions.outboundSubscribed(Optional.empty(), CONTACT, true);
    Subscriptions.Change to = Subscriptions.outboundSubscribed(item(Subscription.TO, false), CONTACT, true);

    assertThat(none.forward()).isTrue();
    assertThat(none.updated()).contains(RosterItem.of(CONTACT).withSubscription(Subscription.FROM));
    assertThat(to.updated()).contains(RosterItem.of(CONTACT).withSubscription(Subscription.BOTH));
  }

  @Test
  void approvingWithoutARequestIsAPreApprovalThatStaysHere() {
    Subscriptions.Change c = Subscriptions.outboundSubscribed(Optional.empty(), CONTACT, false);

    assertThat(c.forward()).isFalse();
    assertThat(c.updated()).contains(RosterItem.of(CONTACT).withApproved(true));
  }

  @Test
  void approvingAContactThatAlreadyHasFromDoesNothing() {
    assertThat(Subscriptions.outboundSubscribed(item(Subscription.FROM, false), CONTACT, true))
        .isEqualTo(Subscriptions.Change.NOTHING);
  }

  @Test
  void cancellingFromBothLeavesToAndDenyingAPendingRequestGoesToTheContact() {
    Subscriptions.Change both = Subscriptions.outboundUnsubscribed(item(Subscription.BOTH, false), false);
    Subscriptions.Change deny = Subscriptions.outboundUnsubscribed(Optional.empty(), true);
    Subscriptions.Change idle = Subscriptions.outboundUnsubscribed(item(Subscription.TO, false), false);

    assertThat(both.updated()).contains(RosterItem.of(CONTACT).withSubscription(Subscription.TO));
    assertThat(deny.forward()).isTrue();
    assertThat(deny.updated()).isEmpty();
    assertThat(idle).isEqualTo(Subscriptions.Change.NOTHING);
  }

  // ---- A.2.2 / A.3.2 / A.4.2 / A.5.2: inbound ----

  @Test
  void anInboundSubscribeIsAnsweredByTheServerOnlyWhenAlreadyOrPreApproved() {
    assertThat(Subscriptions.inboundSubscribe(Optional.empty()))
        .isEqualTo(Subscriptions.InboundSubscribe.ASK_USER);
    assertThat(Subscriptions.inboundSubscribe(item(Subscription.TO, true)))
        .isEqualTo(Subscriptions.InboundSubscribe.ASK_USER);
    assertThat(Subscriptions.inboundSubscribe(item(Subscription.FROM, false)))
        .isEqualTo(Subscriptions.InboundSubscribe.ALREADY_APPROVED);
    assertThat(Subscriptions.inboundSubscribe(Optional.of(RosterItem.of(CONTACT).withApproved(true))))
        .isEqualTo(Subscriptions.InboundSubscribe.PRE_APPROVED);
    assertThat(Subscriptions.preApproved(RosterItem.of(CONTACT).withSubscription(Subscription.TO)
        .withApproved(true))).isEqualTo(RosterItem.of(CONTACT).withSubscription(Subscription.BOTH));
  }

  @Test
  void anInboundSubscribedTurnsPendingOutIntoToAndIsIgnoredWithoutARequest() {
    Subscriptions.Change pending = Subscriptions.inboundSubscribed(item(Subscription.NONE, true));
    Subscriptions.Change fromPending = Subscriptions.inboundSubscribed(item(Subscription.FROM, true));

    assertThat(pending.forward()).isTrue();
    assertThat(pending.updated()).contains(RosterItem.of(CONTACT).withSubscription(Subscription.TO));
    assertThat(fromPending.updated()).contains(RosterItem.of(CONTACT).withSubscription(Subscription.BOTH));
    assertThat(Subscriptions.inboundSubscribed(item(Subscription.NONE, false)))
        .isEqualTo(Subscriptions.Change.NOTHING);
    assertThat(Subscriptions.inboundSubscribed(Optional.empty())).isEqualTo(Subscriptions.Change.NOTHING);
    assertThat(Subscriptions.inboundSubscribed(item(Subscription.TO, false)))
        .isEqualTo(Subscriptions.Change.NOTHING);
  }

  @Test
  void anInboundUnsubscribeTakesFromAway() {
    assertThat(changed(Subscriptions.inboundUnsubscribe(item(Subscription.BOTH, false))))
        .contains(RosterItem.of(CONTACT).withSubscription(Subscription.TO));
    assertThat(changed(Subscriptions.inboundUnsubscribe(item(Subscription.FROM, true))))
        .contains(RosterItem.of(CONTACT).withAsk(true));
    assertThat(Subscriptions.inboundUnsubscribe(item(Subscription.TO, false)))
        .isEqualTo(Subscriptions.Change.NOTHING);
  }

  @Test
  void anInboundUnsubscribedTakesToAndPendingOutAway() {
    assertThat(changed(Subscriptions.inboundUnsubscribed(item(Subscription.BOTH, false))))
        .contains(RosterItem.of(CONTACT).withSubscription(Subscription.FROM));
    assertThat(changed(Subscriptions.inboundUnsubscribed(item(Subscription.NONE, true))))
        .contains(RosterItem.of(CONTACT));
    assertThat(Subscriptions.inboundUnsubscribed(item(Subscription.FROM, false)))
        .isEqualTo(Subscriptions.Change.NOTHING);
  }
}

package dev.tern.it;

import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.SubscribeListener.SubscribeAnswer;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqlast.LastActivityManager;
import org.jivesoftware.smackx.iqlast.packet.LastActivity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * RFC 6121 rosters, subscriptions and presence, and XEP-0012 last activity, with Smack's Roster:
 * Alice connects to region-a, Bob to region-b.
 */
@Order(21)
@ExtendWith(TestFederation.class)
class RosterPresenceTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private String alice;
  private String bob;
  private final List<XMPPTCPConnection> open = new CopyOnWriteArrayList<>();

  @BeforeEach
  void twoUsers() throws Exception {
    alice = XmppClients.registerNewUser("region-a");
    bob = XmppClients.registerNewUser("region-b");
  }

  @AfterEach
  void disconnect() {
    open.forEach(c -> {
      if (c.isConnected()) {
        c.disconnect();
      }
    });
  }

  private static BareJid jid(String user) throws Exception {
    return JidCreate.entityBareFrom(user + "@localhost");
  }

  /** A connection whose Roster is set up by {@code setUp} before it logs in. */
  private XMPPTCPConnection connect(String region, String user, java.util.function.Consumer<Roster> setUp)
      throws Exception {
    XMPPTCPConnection c = XmppClients.tcp(region);
    open.add(c);
    setUp.accept(Roster.getInstanceFor(c));
    login(c, user);
    Roster roster = Roster.getInstanceFor(c);
    await().atMost(PATIENCE).until(roster::isLoaded);
    return c;
  }

  private XMPPTCPConnection connect(String region, String user) throws Exception {
    return connect(region, user, r -> r.setSubscriptionMode(Roster.SubscriptionMode.accept_all));
  }

  private static Roster roster(XMPPTCPConnection c) {
    return Roster.getInstanceFor(c);
  }

  private static ItemType type(XMPPTCPConnection c, BareJid contact) {
    RosterEntry e = roster(c).getEntry(contact);
    return e == null ? null : e.getType();
  }

  /** Alice and Bob subscribe to each other (both approve automatically) and see each other. */
  private void befriend(XMPPTCPConnection a, XMPPTCPConnection b) throws Exception {
    roster(a).createItemAndRequestSubscription(jid(bob), "Bob", null);
    await().atMost(PATIENCE).until(() -> type(a, jid(bob)) == ItemType.to);
    roster(b).createItemAndRequestSubscription(jid(alice), "Alice", null);
    await().atMost(PATIENCE).until(() -> type(a, jid(bob)) == ItemType.both
        && type(b, jid(alice)) == ItemType.both);
    await().atMost(PATIENCE).until(() -> roster(a).getPresence(jid(bob)).isAvailable()
        && roster(b).getPresence(jid(alice)).isAvailable());
  }

  @Test
  void aContactAddedOnOneResourceIsPushedToTheOtherAndFoundAtTheNextLogin() throws Exception {
    XMPPTCPConnection a1 = connect("region-a", alice);
    XMPPTCPConnection a2 = connect("region-b", alice);

    roster(a1).createItem(jid(bob), "Bob", new String[] {"Friends"});

    await().atMost(PATIENCE).untilAsserted(() -> {
      RosterEntry pushed = roster(a2).getEntry(jid(bob));
      assertThat(pushed).isNotNull();
      assertThat(pushed.getName()).isEqualTo("Bob");
      assertThat(pushed.getGroups()).extracting(g -> g.getName()).containsExactly("Friends");
      assertThat(pushed.getType()).isEqualTo(ItemType.none);
    });
    XMPPTCPConnection a3 = connect("region-a", alice);
    RosterEntry loaded = roster(a3).getEntry(jid(bob));
    assertThat(loaded).isNotNull();
    assertThat(loaded.getName()).isEqualTo("Bob");
  }

  @Test
  void aSubscriptionRequestWaitsForTheOfflineContactAndApprovalLetsBothSeeEachOther()
      throws Exception {
    XMPPTCPConnection a = connect("region-a", alice);
    roster(a).createItemAndRequestSubscription(jid(bob), "Bob", null);
    await().atMost(PATIENCE).until(() -> roster(a).getEntry(jid(bob)) != null
        && roster(a).getEntry(jid(bob)).isSubscriptionPending());

    List<Jid> requests = new CopyOnWriteArrayList<>();
    XMPPTCPConnection b = connect("region-b", bob, r -> r.addSubscribeListener((from, p) -> {
      requests.add(from);
      return SubscribeAnswer.ApproveAndAlsoRequestIfRequired;
    }));

    await().atMost(PATIENCE).until(() -> requests.contains(jid(alice)));
    try {
      await().atMost(PATIENCE).until(() -> type(a, jid(bob)) == ItemType.both
          && type(b, jid(alice)) == ItemType.both);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // What the server holds, as fresh logins see it: a stale client, or a stale server?
      ItemType aliceStored = type(connect("region-a", alice), jid(bob));
      ItemType bobStored = type(connect("region-b", bob), jid(alice));
      throw new AssertionError("Alice sees Bob as " + roster(a).getEntry(jid(bob)) + " "
          + type(a, jid(bob)) + " (stored: " + aliceStored + "); Bob sees Alice as "
          + roster(b).getEntry(jid(alice)) + " " + type(b, jid(alice)) + " (stored: "
          + bobStored + "); requests " + requests, e);
    }
    await().atMost(PATIENCE).until(() -> roster(a).getPresence(jid(bob)).isAvailable()
        && roster(b).getPresence(jid(alice)).isAvailable());
  }

  @Test
  void presenceUpdatesAndUnavailableOnDisconnectArrive() throws Exception {
    XMPPTCPConnection a = connect("region-a", alice);
    XMPPTCPConnection b = connect("region-b", bob);
    befriend(a, b);

    b.sendStanza(b.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.available)
        .setMode(Presence.Mode.away).setStatus("in a meeting").build());

    await().atMost(PATIENCE).untilAsserted(() -> {
      Presence seen = roster(a).getPresence(jid(bob));
      assertThat(seen.getMode()).isEqualTo(Presence.Mode.away);
      assertThat(seen.getStatus()).isEqualTo("in a meeting");
    });

    b.disconnect();

    await().atMost(PATIENCE).until(() -> !roster(a).getPresence(jid(bob)).isAvailable());
  }

  @Test
  void aDroppedConnectionIsSeenAsUnavailable() throws Exception {
    XMPPTCPConnection a = connect("region-a", alice);
    XMPPTCPConnection b = connect("region-b", bob);
    befriend(a, b);

    b.instantShutdown(); // the TCP connection just ends: no unavailable presence, no </stream>

    await().atMost(PATIENCE).until(() -> !roster(a).getPresence(jid(bob)).isAvailable());
  }

  @Test
  void lastActivityIsForbiddenWithoutSubscriptionAndAnsweredWithIt() throws Exception {
    XMPPTCPConnection a = connect("region-a", alice);
    XMPPTCPConnection b = connect("region-b", bob);

    assertThatThrownBy(() -> LastActivityManager.getInstanceFor(a).getLastActivity(jid(bob)))
        .isInstanceOfSatisfying(XMPPErrorException.class, e ->
            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));

    befriend(a, b);
    LastActivity online = LastActivityManager.getInstanceFor(a).getLastActivity(jid(bob));
    assertThat(online.getIdleTime()).isZero();

    b.disconnect(b.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.unavailable)
        .setStatus("gone fishing").build());

    await().atMost(PATIENCE).untilAsserted(() -> {
      LastActivity gone = LastActivityManager.getInstanceFor(a).getLastActivity(jid(bob));
      assertThat(gone.getStatusMessage()).isEqualTo("gone fishing");
      assertThat(gone.getIdleTime()).isBetween(0L, 60L);
    });
  }

  @Test
  void removingAContactCancelsTheSubscriptionsBothWays() throws Exception {
    XMPPTCPConnection a = connect("region-a", alice);
    XMPPTCPConnection b = connect("region-b", bob);
    befriend(a, b);

    roster(a).removeEntry(roster(a).getEntry(jid(bob)));

    await().atMost(PATIENCE).until(() -> roster(a).getEntry(jid(bob)) == null);
    await().atMost(PATIENCE).until(() -> type(b, jid(alice)) == ItemType.none);
    await().atMost(PATIENCE).until(() -> !roster(b).getPresence(jid(alice)).isAvailable()
        && !roster(a).getPresence(jid(bob)).isAvailable());
    assertThatThrownBy(() -> LastActivityManager.getInstanceFor(a).getLastActivity(jid(bob)))
        .isInstanceOfSatisfying(XMPPErrorException.class, e ->
            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
  }

  @Test
  void theServerAnswersLastActivityWithItsUptime() throws Exception {
    XMPPTCPConnection a = connect("region-a", alice);

    LastActivity uptime = LastActivityManager.getInstanceFor(a)
        .getLastActivity(JidCreate.domainBareFrom("localhost"));

    assertThat(uptime.getIdleTime()).isNotNegative();
  }
}

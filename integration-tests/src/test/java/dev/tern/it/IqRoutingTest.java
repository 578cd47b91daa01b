package dev.tern.it;

import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jivesoftware.smackx.time.EntityTimeManager;
import org.jivesoftware.smackx.time.packet.Time;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.impl.JidCreate;

/** IQs between users' resources (RFC 6121 §8.5.3), wherever each is connected. */
@Order(18)
@ExtendWith(TestFederation.class)
class IqRoutingTest {

  private String alice;
  private String bob;

  @BeforeEach
  void twoUsers() throws Exception {
    alice = XmppClients.registerNewUser("region-a");
    bob = XmppClients.registerNewUser("region-a");
  }

  @Test
  void anIqToAnotherUsersResourceIsAnsweredByThatResource() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection b = login(XmppClients.tcp("region-b"), bob);
    try {
      // Smack answers pings itself (XEP-0199) and XEP-0202 time, from the other region.
      IQ pong = a.sendIqRequestAndWaitForResponse(new Ping(b.getUser()));
      assertThat(pong.getType()).isEqualTo(IQ.Type.result);
      assertThat(pong.getFrom().toString()).isEqualTo(b.getUser().toString());
      Time time = EntityTimeManager.getInstanceFor(a).getTime(b.getUser());
      assertThat(time.getUtc()).isNotBlank();
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void anIqToAResourceThatIsNotConnectedIsServiceUnavailable() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    try {
      Ping ping = new Ping(JidCreate.entityFullFrom(bob + "@localhost/nowhere"));
      assertThatThrownBy(() -> a.sendIqRequestAndWaitForResponse(ping))
          .isInstanceOfSatisfying(XMPPErrorException.class, e ->
              assertThat(e.getStanzaError().getCondition())
                  .isEqualTo(StanzaError.Condition.service_unavailable));
    } finally {
      a.disconnect();
    }
  }

  @Test
  void anIqToAnotherUsersBareJidThatNoOneServesIsServiceUnavailable() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    try {
      Ping ping = new Ping(JidCreate.entityBareFrom(bob + "@localhost"));
      assertThatThrownBy(() -> a.sendIqRequestAndWaitForResponse(ping))
          .isInstanceOfSatisfying(XMPPErrorException.class, e ->
              assertThat(e.getStanzaError().getCondition())
                  .isEqualTo(StanzaError.Condition.service_unavailable));
    } finally {
      a.disconnect();
    }
  }
}

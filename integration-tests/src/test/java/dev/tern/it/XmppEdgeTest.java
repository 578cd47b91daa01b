package dev.tern.it;

import static dev.tern.it.XmppClients.PASSWORD;
import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnection;
import org.jivesoftware.smack.packet.Nonza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.iqversion.VersionManager;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;
import org.jxmpp.jid.parts.Resourcepart;

/** Alice, with a stock Smack client, registers, logs in and uses the server over each transport. */
@Order(10)
@ExtendWith(TestFederation.class)
class XmppEdgeTest {

  private static String alice;

  @BeforeAll
  static void aliceRegistersInBand() throws Exception {
    // Smack 4.5 has neither SCRAM-SHA-256 nor a working -PLUS (it takes the certificate's key
    // algorithm for a digest name); ScramOverTheWireTest covers those with its own client.
    alice = XmppClients.registerNewUser("region-a");
  }

  private static void assertServes(AbstractXMPPConnection c) throws Exception {
    assertThat(c.isAuthenticated()).isTrue();
    assertThat(c.getUser().asEntityBareJidString()).isEqualTo(alice + "@localhost");
    assertThat(PingManager.getInstanceFor(c).pingMyServer(false)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"SCRAM-SHA-1", "PLAIN"})
  void aliceLogsInOverStarttlsWithEachMechanism(String mechanism) throws Exception {
    XMPPTCPConnection c = XmppClients.tcp("region-a", mechanism);
    try {
      login(c, alice);
      assertThat(c.isSecureConnection()).isTrue();
      assertThat(c.getUsedSaslMechansism()).isEqualTo(mechanism);
      assertServes(c);
    } finally {
      c.disconnect();
    }
  }

  @Test
  void aliceRegisteredInRegionALogsInToRegionBOverDirectTls() throws Exception {
    // The account was written in region-a's datacenter; region-b reads its own replica.
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      XMPPTCPConnection c = XmppClients.directTls("region-b", "SCRAM-SHA-1");
      try {
        login(c, alice);
        assertServes(c);
      } finally {
        c.disconnect();
      }
    });
  }

  @Test
  void aliceLogsInOverWebSocket() throws Exception {
    ModularXmppClientToServerConnection c = XmppClients.webSocket("region-a");
    try {
      login(c, alice);
      assertServes(c);
    } finally {
      c.disconnect();
    }
  }

  @Test
  void aWrongPasswordIsRefusedWithNotAuthorized() throws Exception {
    XMPPTCPConnection c = XmppClients.tcp("region-a", "SCRAM-SHA-1");
    try {
      c.connect();
      assertThatThrownBy(() -> c.login(alice, PASSWORD + "!"))
          .isInstanceOfSatisfying(SASLErrorException.class, e ->
              assertThat(e.getSASLFailure().getSASLErrorString()).isEqualTo("not-authorized"));
    } finally {
      c.disconnect();
    }
  }

  @Test
  void anUnknownUserIsRefusedTheSameWay() throws Exception {
    XMPPTCPConnection c = XmppClients.tcp("region-a", "SCRAM-SHA-1");
    try {
      c.connect();
      assertThatThrownBy(() -> c.login("nobody-" + alice, PASSWORD))
          .isInstanceOfSatisfying(SASLErrorException.class, e ->
              assertThat(e.getSASLFailure().getSASLErrorString()).isEqualTo("not-authorized"));
    } finally {
      c.disconnect();
    }
  }

  @Test
  void authorizingAsAnotherUserIsRefusedWithInvalidAuthzid() throws Exception {
    String bob = XmppClients.registerNewUser("region-a");
    XMPPTCPConnection c = new XMPPTCPConnection(
        org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration.builder()
            .setXmppDomain(XmppClients.DOMAIN)
            .setHostAddress(java.net.InetAddress.getByName("127.0.0.1"))
            .setPort(XmppClients.region("region-a").xmpp().c2s().port())
            .setCustomX509TrustManager(XmppClients.trustManager("region-a"))
            .addEnabledSaslMechanism("SCRAM-SHA-1")
            .setAuthzid(JidCreate.entityBareFrom(bob + "@localhost"))
            .build());
    try {
      c.connect();
      assertThatThrownBy(() -> c.login(alice, PASSWORD))
          .isInstanceOfSatisfying(SASLErrorException.class, e ->
              assertThat(e.getSASLFailure().getSASLErrorString()).isEqualTo("invalid-authzid"));
    } finally {
      c.disconnect();
    }
  }

  @Test
  void registeringATakenUsernameFailsWithConflict() throws Exception {
    XMPPTCPConnection c = XmppClients.tcp("region-a");
    try {
      c.connect();
      assertThatThrownBy(() ->
          AccountManager.getInstance(c).createAccount(Localpart.from(alice), "another password"))
          .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
              assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.conflict));
    } finally {
      c.disconnect();
    }
  }

  @Test
  void discoListsTheServerIdentityAndTheFeaturesItHandles() throws Exception {
    XMPPTCPConnection c = login(XmppClients.tcp("region-a"), alice);
    try {
      DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(c)
          .discoverInfo(JidCreate.domainBareFrom("localhost"));
      assertThat(info.hasIdentity("server", "im")).isTrue();
      assertThat(info.getFeatures()).extracting(DiscoverInfo.Feature::getVar)
          .contains("urn:xmpp:ping", "jabber:iq:version", "jabber:iq:register",
              "http://jabber.org/protocol/disco#info");
      Version version = VersionManager.getInstanceFor(c).getVersion(JidCreate.domainBareFrom("localhost"));
      assertThat(version.getName()).isEqualTo("Tern");
    } finally {
      c.disconnect();
    }
  }

  @Test
  void bindingAResourceInUseReplacesTheOlderSessionWithConflict() throws Exception {
    XMPPTCPConnection phone = XmppClients.tcp("region-a");
    XMPPTCPConnection again = XmppClients.tcp("region-a");
    AtomicReference<Exception> closedWith = new AtomicReference<>();
    try {
      phone.connect();
      phone.addConnectionListener(new ConnectionListener() {
        @Override
        public void connectionClosedOnError(Exception e) {
          closedWith.set(e);
        }
      });
      phone.login(alice, PASSWORD, Resourcepart.from("phone"));
      again.connect();
      again.login(alice, PASSWORD, Resourcepart.from("phone"));

      await().atMost(Duration.ofSeconds(10)).until(() -> closedWith.get() != null);
      assertThat(closedWith.get()).isInstanceOfSatisfying(XMPPException.StreamErrorException.class,
          e -> assertThat(e.getStreamError().getCondition()).isEqualTo(StreamError.Condition.conflict));
      assertThat(again.getUser().getResourcepart().toString()).isEqualTo("phone");
      assertThat(PingManager.getInstanceFor(again).pingMyServer(false)).isTrue();
    } finally {
      phone.disconnect();
      again.disconnect();
    }
  }

  @Test
  void aStanzaWithASpoofedFromClosesTheStreamWithInvalidFrom() throws Exception {
    XMPPTCPConnection c = login(XmppClients.tcp("region-a"), alice);
    AtomicReference<Exception> closedWith = new AtomicReference<>();
    c.addConnectionListener(new ConnectionListener() {
      @Override
      public void connectionClosedOnError(Exception e) {
        closedWith.set(e);
      }
    });
    try {
      // Smack strips 'from' from stanzas, as clients should; a raw element keeps it.
      c.sendNonza(new Nonza() {
        @Override
        public String getNamespace() {
          return "jabber:client";
        }

        @Override
        public String getElementName() {
          return "message";
        }

        @Override
        public CharSequence toXML(XmlEnvironment environment) {
          return "<message from='mallory@localhost/evil' to='" + alice + "@localhost'>"
              + "<body>I am not who I say</body></message>";
        }
      });

      await().atMost(Duration.ofSeconds(10)).until(() -> closedWith.get() != null);
      assertThat(closedWith.get()).isInstanceOfSatisfying(XMPPException.StreamErrorException.class,
          e -> assertThat(e.getStreamError().getCondition())
              .isEqualTo(StreamError.Condition.invalid_from));
    } finally {
      c.disconnect();
    }
  }

  @Test
  void theEdgeReportsConnectionsStanzasAuthenticationsAndTlsInMetrics() throws Exception {
    XMPPTCPConnection c = login(XmppClients.tcp("region-a", "SCRAM-SHA-1"), alice);
    try {
      var http = XmppClients.region("region-a").http();
      String metrics = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(
              "http://" + http.host() + ":" + http.port() + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();

      assertThat(metrics)
          .containsPattern("tern_edge_connections\\{[^}]*transport=\"tcp\"[^}]*\\} [1-9]")
          .containsPattern("tern_edge_authentications_total\\{[^}]*mechanism=\"SCRAM-SHA-1\""
              + "[^}]*outcome=\"success\"")
          .containsPattern("tern_edge_stanzas_in_total\\{[^}]*kind=\"iq\"")
          .containsPattern("tern_edge_tls_handshake_seconds_count\\{[^}]*outcome=\"success\"");
    } finally {
      c.disconnect();
    }
  }
}

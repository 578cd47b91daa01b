package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.bench.ScramClient;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SCRAM as the RFCs write it, with an independent client: SHA-1 and SHA-256, with and without
 * channel binding (RFC 5929 tls-server-end-point; RFC 9266 tls-exporter, with OpenSSL's command
 * line client exporting it), and the downgrade protection of RFC 5802 §6.
 */
@Order(12)
@ExtendWith(TestFederation.class)
class ScramOverTheWireTest {

  private static String user;

  @BeforeAll
  static void aUserExists() throws Exception {
    user = XmppClients.registerNewUser("region-a");
  }

  @Test
  void theServerOffersScramPlusAndAdvertisesItsChannelBindingTypes() throws Exception {
    try (RawTlsSession s = RawTlsSession.startTls("region-a")) {
      assertThat(s.features()).contains("<mechanism>SCRAM-SHA-256-PLUS</mechanism>",
          "<mechanism>SCRAM-SHA-1-PLUS</mechanism>", "<mechanism>SCRAM-SHA-256</mechanism>",
          "<mechanism>SCRAM-SHA-1</mechanism>", "<mechanism>PLAIN</mechanism>",
          "urn:xmpp:sasl-cb:0", "type='tls-server-end-point'", "urn:xmpp:stream-limits:0");
      assertThat(s.features()).doesNotContain("starttls");
    }
  }

  @ParameterizedTest
  @CsvSource({"SHA-1, false", "SHA-256, false", "SHA-1, true", "SHA-256, true"})
  void aUserAuthenticatesWithScram(String hash, boolean plus) throws Exception {
    try (RawTlsSession s = RawTlsSession.startTls("region-a")) {
      ScramClient scram = new ScramClient(hash, user, XmppClients.PASSWORD,
          plus ? "tls-server-end-point" : null, plus ? s.tlsServerEndPoint() : new byte[0], null);
      String mechanism = "SCRAM-" + hash + (plus ? "-PLUS" : "");

      RawTlsSession.Reply first = s.auth(mechanism, scram.clientFirst());
      assertThat(first.element()).isEqualTo("challenge");
      RawTlsSession.Reply last = s.respond(scram.clientFinal(first.text()));

      assertThat(last.element()).as(last.text()).isEqualTo("success");
      assertThat(scram.verifyServerFinal(last.text())).as("the server proves it knows the key").isTrue();
    }
  }

  @Test
  void overTls13TheServerAlsoAdvertisesTlsExporter() throws Exception {
    try (RawTlsSession s = RawTlsSession.startTlsWithOpenssl("region-a")) {
      assertThat(s.features()).contains("type='tls-exporter'", "type='tls-server-end-point'",
          "<mechanism>SCRAM-SHA-256-PLUS</mechanism>");
    }
  }

  @ParameterizedTest
  @CsvSource({"SHA-1", "SHA-256"})
  void aUserAuthenticatesWithScramPlusBoundToTheTlsExporterThatOpensslExported(String hash)
      throws Exception {
    try (RawTlsSession s = RawTlsSession.startTlsWithOpenssl("region-a")) {
      ScramClient scram = new ScramClient(hash, user, XmppClients.PASSWORD, "tls-exporter",
          s.tlsExporter(), null);

      RawTlsSession.Reply first = s.auth("SCRAM-" + hash + "-PLUS", scram.clientFirst());
      assertThat(first.element()).as(first.text()).isEqualTo("challenge");
      RawTlsSession.Reply last = s.respond(scram.clientFinal(first.text()));

      assertThat(last.element()).as(last.text()).isEqualTo("success");
      assertThat(scram.verifyServerFinal(last.text())).isTrue();
    }
  }

  @Test
  void aTlsExporterOfAnotherConnectionIsRefused() throws Exception {
    byte[] other;
    try (RawTlsSession first = RawTlsSession.startTlsWithOpenssl("region-a")) {
      other = first.tlsExporter();
    }
    try (RawTlsSession s = RawTlsSession.startTlsWithOpenssl("region-a")) {
      ScramClient scram = new ScramClient("SHA-256", user, XmppClients.PASSWORD, "tls-exporter",
          other, null);
      RawTlsSession.Reply first = s.auth("SCRAM-SHA-256-PLUS", scram.clientFirst());
      RawTlsSession.Reply last = s.respond(scram.clientFinal(first.text()));

      assertThat(last.element()).isEqualTo("failure");
      assertThat(last.text()).contains("<not-authorized");
    }
  }

  @Test
  void channelBindingDataOfAnotherConnectionIsRefused() throws Exception {
    try (RawTlsSession s = RawTlsSession.startTls("region-a")) {
      byte[] wrong = new byte[32];
      ScramClient scram = new ScramClient("SHA-256", user, XmppClients.PASSWORD,
          "tls-server-end-point", wrong, null);
      RawTlsSession.Reply first = s.auth("SCRAM-SHA-256-PLUS", scram.clientFirst());
      RawTlsSession.Reply last = s.respond(scram.clientFinal(first.text()));

      assertThat(last.element()).isEqualTo("failure");
      assertThat(last.text()).contains("<not-authorized");
    }
  }

  @Test
  void aClientThatThinksTheServerCannotBindIsRefusedAsADowngrade() throws Exception {
    try (RawTlsSession s = RawTlsSession.startTls("region-a")) {
      // "y,,": the client could bind but believes the server cannot; the server offered -PLUS.
      RawTlsSession.Reply reply = s.auth("SCRAM-SHA-256", "y,,n=" + user + ",r=abcdefghijklmnop");
      if (reply.element().equals("challenge")) {
        reply = s.respond("c=eSws,r=" + reply.text().split(",")[0].substring(2) + ",p=AAAA");
      }
      assertThat(reply.element()).isEqualTo("failure");
      assertThat(reply.text()).contains("<not-authorized");
    }
  }

  @Test
  void aMalformedAddressIsJidMalformedAndABadResourceIsABadRequest() throws Exception {
    try (RawTlsSession s = RawTlsSession.startTls("region-a")) {
      s.login(user, XmppClients.PASSWORD);
      // RFC 7622 / PRECIS OpaqueString: an unassigned code point is not valid in a resource.
      s.send("<iq type='set' id='b0'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
          + "<resource>a&#x378;b</resource></bind></iq>");
      assertThat(s.await("<iq[^>]*id='b0'.*?</iq>")).contains("type='error'", "<bad-request");
      s.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
      s.await("<iq[^>]*id='b1'.*?</iq>");

      s.send("<message to='juliet@@example.com' id='m1'><body>hi</body></message>");

      assertThat(s.await("<message[^>]*id='m1'.*?</message>"))
          .contains("type='error'", "<jid-malformed");
    }
  }
}

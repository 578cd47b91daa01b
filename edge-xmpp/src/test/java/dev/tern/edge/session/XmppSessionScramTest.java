package dev.tern.edge.session;

import static dev.tern.edge.session.TestClient.SASL;
import static dev.tern.edge.session.TestClient.mechanisms;
import static dev.tern.edge.session.TestClient.xml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.edge.sasl.ScramClient;
import dev.tern.edge.sasl.ScramHash;
import dev.tern.edge.tls.ChannelBindings;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * SCRAM (RFC 5802) on streams that negotiated TLS with a real handshake, so that the -PLUS
 * mechanisms are offered with the connection's channel bindings (RFC 5929, RFC 9266, XEP-0440).
 */
class XmppSessionScramTest {

  private static final String SASL_CB = "urn:xmpp:sasl-cb:0";

  private final TestEdge edge = TestEdge.create().account("alice", "secret");

  @Test
  void afterStartTlsThePlusMechanismsAreOfferedWithTheBindingTypesOfTheConnection() {
    XmlElement features = edge.tcpWithTls().open();

    assertThat(mechanisms(features)).containsExactly("SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS",
        "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
    // JSSE (Bouncy Castle) cannot export keying material once connected: no tls-exporter here.
    assertThat(features.child("sasl-channel-binding", SASL_CB)).contains(xml(
        "<sasl-channel-binding xmlns='" + SASL_CB + "'>"
            + "<channel-binding type='tls-server-end-point'/></sasl-channel-binding>"));
  }

  @Test
  void scramSha256PlusBoundToTheServerCertificateSucceeds() {
    TestClient client = edge.tcpWithTls();
    client.open();
    byte[] endPoint = ChannelBindings.tlsServerEndPoint(client.tlsHandler()).orElseThrow();
    ScramClient scram = ScramClient.withHeader(ScramHash.SHA_256, "p=tls-server-end-point,,",
        endPoint, "alice", "secret");

    XmlElement success = respond(client, scram, auth(client, "SCRAM-SHA-256-PLUS", scram));

    assertThat(success.name()).as(success.toString()).isEqualTo("success");
    assertThat(scram.serverIsAuthentic(Base64.getDecoder().decode(success.text()))).isTrue();
  }

  // ---- helpers

  /** {@code <auth/>} with the client-first-message; returns the server's answer. */
  private static XmlElement auth(TestClient client, String mechanism, ScramClient scram) {
    client.send("<auth xmlns='" + SASL + "' mechanism='" + mechanism + "'>"
        + base64(scram.clientFirst()) + "</auth>");
    return client.next();
  }

  /** {@code <response/>} with the client-final-message for {@code challenge}; returns the answer. */
  private static XmlElement respond(TestClient client, ScramClient scram, XmlElement challenge) {
    assertThat(challenge.name()).as(challenge.toString()).isEqualTo("challenge");
    byte[] serverFirst = Base64.getDecoder().decode(challenge.text());
    client.send("<response xmlns='" + SASL + "'>" + base64(scram.clientFinal(serverFirst))
        + "</response>");
    return client.next();
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}

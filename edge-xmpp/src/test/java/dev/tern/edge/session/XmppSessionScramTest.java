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

  // ---- gs2-cbind-flag "y" where channel binding is offered (RFC 5802 §6)

  @Test
  void yWithoutAnEarlierPlusAttemptIsRefusedAsADowngrade() {
    TestClient client = edge.tcpWithTls();
    client.open();
    ScramClient scram = ScramClient.withHeader(ScramHash.SHA_256, "y,,", new byte[0], "alice",
        "secret");

    XmlElement failure = auth(client, "SCRAM-SHA-256", scram);

    assertThat(failure).isEqualTo(failure("not-authorized",
        "server-does-support-channel-binding"));
    assertThat(client.isOpen()).isTrue();
  }

  /**
   * What slixmpp 1.8.3 sends (captured against an edge): -PLUS with {@code tls-unique}, which
   * TLS 1.3 does not have (RFC 9266), twice, then SCRAM-SHA-256 with {@code y}. The stream saw the
   * client try to bind: its {@code y} is not the one a stripped mechanism list would cause.
   */
  @Test
  void yAfterAPlusAttemptRefusedForItsBindingTypeIsAccepted() {
    TestClient client = edge.tcpWithTls();
    client.open();
    for (String plus : new String[] {"SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS"}) {
      client.send("<auth xmlns='" + SASL + "' mechanism='" + plus + "'>"
          + base64("p=tls-unique,,n=alice,r=7286507555683472") + "</auth>");
      assertThat(client.next()).isEqualTo(failure("not-authorized",
          "unsupported-channel-binding-type: tls-unique"));
    }
    ScramClient scram = ScramClient.withHeader(ScramHash.SHA_256, "y,,", new byte[0], "alice",
        "secret");

    XmlElement success = respond(client, scram, auth(client, "SCRAM-SHA-256", scram));

    assertThat(success.name()).as(success.toString()).isEqualTo("success");
    assertThat(scram.serverIsAuthentic(Base64.getDecoder().decode(success.text()))).isTrue();
  }

  @Test
  void yAfterAPlusAttemptWhoseBindingDidNotMatchIsStillRefused() {
    TestClient client = edge.tcpWithTls();
    client.open();
    ScramClient otherChannel = ScramClient.withHeader(ScramHash.SHA_256,
        "p=tls-server-end-point,,", "the certificate of a man in between".getBytes(), "alice",
        "secret");
    assertThat(respond(client, otherChannel,
        auth(client, "SCRAM-SHA-256-PLUS", otherChannel)))
        .isEqualTo(failure("not-authorized", "channel-bindings-dont-match"));
    ScramClient scram = ScramClient.withHeader(ScramHash.SHA_256, "y,,", new byte[0], "alice",
        "secret");

    XmlElement failure = auth(client, "SCRAM-SHA-256", scram);

    assertThat(failure).isEqualTo(failure("not-authorized",
        "server-does-support-channel-binding"));
  }

  // ---- helpers

  private static XmlElement failure(String condition, String text) {
    return xml("<failure xmlns='" + SASL + "'><" + condition + "/>"
        + "<text xml:lang='en'>" + text + "</text></failure>");
  }

  private static String base64(String text) {
    return base64(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

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

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
  private static final String SASL2 = "urn:xmpp:sasl:2";

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

  // ---- what xmpp.js sends

  /**
   * xmpp.js 0.14.0 ({@code @xmpp/client}, sasl-scram-sha-1 1.4.0) as captured against an edge:
   * SASL2 with SCRAM-SHA-1, a hex client nonce, Bind 2 with SM inline and a FAST token request,
   * and a {@code mechanism} attribute on its {@code <response/>}.
   */
  @Test
  void xmppJsLogsInWithSasl2AsItSendsIt() {
    TestClient client = edge.tcpWithTls();
    client.open();
    ScramClient scram = new ScramClient(ScramHash.SHA_1, "n,,", new byte[0], "alice", "secret",
        "2f1cb3418dd86ecf64a05746e953192c");

    client.send("<authenticate xmlns=\"urn:xmpp:sasl:2\" mechanism=\"SCRAM-SHA-1\">"
        + "<initial-response>" + base64(scram.clientFirst()) + "</initial-response>"
        + "<user-agent id=\"462d3548-e4cc-49f4-8610-c18366116e85\"/>"
        + "<bind xmlns=\"urn:xmpp:bind:0\"><tag>r</tag>"
        + "<enable xmlns=\"urn:xmpp:sm:3\" resume=\"true\"/></bind>"
        + "<request-token xmlns=\"urn:xmpp:fast:0\" mechanism=\"HT-SHA-256-NONE\"/>"
        + "</authenticate>");
    XmlElement challenge = client.next();
    assertThat(challenge.name()).as(challenge.toString()).isEqualTo("challenge");
    client.send("<response xmlns=\"urn:xmpp:sasl:2\" mechanism=\"SCRAM-SHA-1\">"
        + base64(scram.clientFinal(Base64.getDecoder().decode(challenge.text())))
        + "</response>");
    XmlElement success = client.next();

    assertThat(success.name()).as(success.toString()).isEqualTo("success");
    assertThat(scram.serverIsAuthentic(Base64.getDecoder().decode(
        success.child("additional-data", SASL2).orElseThrow().text()))).isTrue();
    assertThat(success.child("bound", "urn:xmpp:bind:0").orElseThrow()
        .child("enabled", "urn:xmpp:sm:3")).isPresent();
    assertThat(success.child("token", "urn:xmpp:fast:0")).isPresent();
    // The features that follow offer no stream management again: it is enabled already, and
    // xmpp.js would otherwise ask to resume and to enable once more.
    XmlElement features = client.next();
    assertThat(features.name()).isEqualTo("features");
    assertThat(features.child("sm", "urn:xmpp:sm:3")).isEmpty();
  }

  /**
   * xmpp.js 0.13.x with sasl-scram-sha-1 1.3 or later (what npm resolves its {@code ^1.2.1} to
   * since 2024-12) answers the challenge with an empty {@code <response/>}: its {@code @xmpp/sasl}
   * does not await the mechanism's answer, which became asynchronous. There is nothing to log in
   * with; the failure says what was missing. (xmpp.js 0.14, or 0.13 with sasl-scram-sha-1 1.2.1,
   * logs in.)
   */
  @Test
  void anEmptyClientFinalMessageGetsMalformedRequestSayingItIsEmpty() {
    TestClient client = edge.tcpWithTls();
    client.open();
    client.send("<auth xmlns=\"" + SASL + "\" mechanism=\"SCRAM-SHA-1\">"
        + base64("n,,n=alice,r=6487619423db00dcfa0c02c34656bf0a") + "</auth>");
    assertThat(client.next().name()).isEqualTo("challenge");

    client.send("<response xmlns=\"" + SASL + "\" mechanism=\"SCRAM-SHA-1\"/>");

    assertThat(client.next()).isEqualTo(failure("malformed-request",
        "invalid-encoding: the client-final-message is empty"));
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

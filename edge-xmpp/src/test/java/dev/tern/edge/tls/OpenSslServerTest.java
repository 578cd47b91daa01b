package dev.tern.edge.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.edge.tls.Loopback.Connection;
import java.nio.file.Path;
import java.security.MessageDigest;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BoringSSL server context keeps the settings of the JSSE one. */
class OpenSslServerTest {

  @TempDir
  static Path dir;

  static KeyMaterial km;
  static Loopback loopback;

  @BeforeAll
  static void startServer() throws Exception {
    km = Certificates.selfSigned(Loopback.DOMAIN, dir);
    loopback = new Loopback(TlsContexts.openSslServer(km));
  }

  @AfterAll
  static void stopServer() {
    loopback.close();
  }

  static io.netty.handler.ssl.SslContext tls12Client(String... suites) throws Exception {
    return TlsContexts.preset(io.netty.handler.ssl.SslContextBuilder.forClient()
            .trustManager(km.chain()))
        .protocols("TLSv1.2").ciphers(java.util.List.of(suites)).build();
  }

  @Test
  void aCurrentClientNegotiatesTls13WithAnAeadSuiteAndXmppClientAlpn() throws Exception {
    Connection c = loopback.connect(TlsContexts.client(km.chain()));

    SSLSession server = c.serverSide().engine().getSession();
    assertThat(server.getProtocol()).isEqualTo("TLSv1.3");
    assertThat(server.getCipherSuite()).isIn("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256");
    assertThat(c.serverSide().applicationProtocol()).isEqualTo(TlsContexts.XMPP_CLIENT_ALPN);
  }

  @Test
  void aTls12ClientGetsEcdheWithGcm() throws Exception {
    Connection c = loopback.connect(tls12Client(
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));

    assertThat(c.serverSide().engine().getSession().getProtocol()).isEqualTo("TLSv1.2");
    assertThat(c.serverSide().engine().getSession().getCipherSuite()).contains("ECDHE", "GCM");
  }

  @Test
  void aTls12ClientOfferingOnlyCbcSuitesIsRefused() throws Exception {
    Connection c = loopback.connect(tls12Client(
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"));

    assertThatThrownBy(c::serverSide).isInstanceOf(java.util.concurrent.ExecutionException.class);
    assertThatThrownBy(c::clientSide).isInstanceOf(java.util.concurrent.ExecutionException.class);
  }

  @Test
  void aCertificateChainManyTimesLargerThanTheHandshakeBufferStillGoesOut() throws Exception {
    java.security.KeyPair root = TestCertificates.keyPair("RSA", 4096);
    java.security.KeyPair leaf = TestCertificates.keyPair("RSA", 4096);
    java.security.cert.X509Certificate rootCertificate = TestCertificates.issue(
        new org.bouncycastle.asn1.x500.X500Name("CN=Test CA"), root, root, "SHA256withRSA");
    java.security.cert.X509Certificate leafCertificate = TestCertificates.issue(
        new org.bouncycastle.asn1.x500.X500Name("CN=" + Loopback.DOMAIN), leaf, root,
        "SHA256withRSA", Loopback.DOMAIN);
    KeyMaterial large = new KeyMaterial(leaf.getPrivate(),
        java.util.List.of(leafCertificate, rootCertificate));
    int chainBytes = leafCertificate.getEncoded().length + rootCertificate.getEncoded().length;
    assertThat(chainBytes).isGreaterThan(8 * TlsContexts.HANDSHAKE_BUFFER_BYTES);

    try (Loopback server = new Loopback(TlsContexts.openSslServer(large))) {
      Connection c = server.connect(TlsContexts.openSslClient(java.util.List.of(rootCertificate)));

      assertThat(c.serverSide().engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
      assertThat(c.clientSide().engine().getSession().getPeerCertificates())
          .containsExactly(leafCertificate, rootCertificate);
    }
  }

  @Test
  void tlsServerEndPointIsTheCertificateHashOnBothSides() throws Exception {
    Connection c = loopback.connect(TlsContexts.client(km.chain()));

    byte[] expected = MessageDigest.getInstance("SHA-256").digest(km.certificate().getEncoded());
    assertThat(ChannelBindings.tlsServerEndPoint(c.serverSide())).contains(expected);
    assertThat(ChannelBindings.tlsServerEndPoint(c.clientSide())).contains(expected);
  }
}

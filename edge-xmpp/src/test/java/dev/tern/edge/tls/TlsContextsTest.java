package dev.tern.edge.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.edge.tls.Loopback.Connection;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jsse.BCSSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsContextsTest {

  @TempDir
  static Path dir;

  static KeyMaterial km;
  static Loopback loopback;

  @BeforeAll
  static void startServer() throws Exception {
    km = Certificates.selfSigned(Loopback.DOMAIN, dir);
    loopback = new Loopback(TlsContexts.server(km));
  }

  @AfterAll
  static void stopServer() {
    loopback.close();
  }

  /** A BCJSSE client like {@link TlsContexts#client} but only TLS 1.2 and the given suites. */
  static SslContext tls12Client(String... cipherSuites) throws Exception {
    return TlsContexts.preset(SslContextBuilder.forClient().trustManager(km.chain()))
        .protocols("TLSv1.2")
        .ciphers(List.of(cipherSuites))
        .build();
  }

  static SslContext offering(SslContext client, String... alpn) {
    return new DelegatingSslContext(client) {
      @Override
      protected void initEngine(SSLEngine engine) {
        BCSSLEngine bc = (BCSSLEngine) engine;
        BCSSLParameters parameters = bc.getParameters();
        parameters.setApplicationProtocols(alpn);
        bc.setParameters(parameters);
      }
    };
  }

  @Test
  void aCurrentClientNegotiatesTls13WithAnAeadSuite() throws Exception {
    Connection c = loopback.connect(TlsContexts.client(km.chain()));

    SSLSession server = c.serverSide().engine().getSession();
    assertThat(server.getProtocol()).isEqualTo("TLSv1.3");
    assertThat(server.getCipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
    assertThat(c.clientSide().engine().getSession().getCipherSuite())
        .isEqualTo(server.getCipherSuite());
  }

  @Test
  void aTls12ClientGetsEcdheWithAesGcmOrChaCha20() throws Exception {
    Connection c = loopback.connect(tls12Client(
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"));

    SSLSession server = c.serverSide().engine().getSession();
    assertThat(server.getProtocol()).isEqualTo("TLSv1.2");
    // The server's order wins: AES-GCM before ChaCha20, and never the CBC suite.
    assertThat(server.getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
  }

  @Test
  void aTls12ClientOfferingOnlyCbcSuitesIsRefused() throws Exception {
    Connection c = loopback.connect(tls12Client(
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"));

    assertThatThrownBy(c::serverSide).isInstanceOf(ExecutionException.class);
    assertThatThrownBy(c::clientSide).isInstanceOf(ExecutionException.class);
  }

  @Test
  void aTls11ClientIsRefused() throws Exception {
    Connection c = loopback.connect(
        TlsContexts.preset(SslContextBuilder.forClient().trustManager(km.chain()))
            .protocols("TLSv1.1")
            .ciphers(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"))
            .build());

    assertThatThrownBy(c::serverSide).isInstanceOf(ExecutionException.class);
  }

  @Test
  void aDirectTlsClientOfferingXmppClientGetsItSelected() throws Exception {
    Connection c = loopback.connect(TlsContexts.client(km.chain()));

    assertThat(TlsContexts.applicationProtocol(c.serverSide())).contains("xmpp-client");
    assertThat(TlsContexts.applicationProtocol(c.clientSide())).contains("xmpp-client");
  }

  @Test
  void aClientWithoutAlpnOrWithOtherProtocolsIsServedWithoutAlpn() throws Exception {
    SslContext plain = TlsContexts.preset(SslContextBuilder.forClient().trustManager(km.chain()))
        .build();

    Connection none = loopback.connect(plain);
    Connection other = loopback.connect(offering(plain, "h2", "http/1.1"));

    assertThat(none.serverSide().engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(TlsContexts.applicationProtocol(none.serverSide())).isEmpty();
    assertThat(other.serverSide().engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(TlsContexts.applicationProtocol(other.serverSide())).isEmpty();
    assertThat(TlsContexts.applicationProtocol(other.clientSide())).isEmpty();
  }

  @Test
  void aClientThatChecksTheNameRefusesACertificateForAnotherDomain() throws Exception {
    KeyMaterial other = Certificates.selfSigned("other.example", dir);

    Connection c = loopback.connect(TlsContexts.client(other.chain()));

    assertThatThrownBy(c::clientSide).isInstanceOf(ExecutionException.class);
  }

  @Test
  void aClientRenegotiationIsRefusedAndTheFirstSessionStays() throws Exception {
    // SunJSSE, because BCJSSE clients cannot renegotiate at all.
    Connection c = loopback.connect(SslContextBuilder.forClient()
        .sslProvider(SslProvider.JDK)
        .trustManager(km.chain())
        .protocols("TLSv1.2")
        .build());
    SslHandler server = c.serverSide();
    SslHandler client = c.clientSide();
    byte[] sessionId = server.engine().getSession().getId();

    Future<?> renegotiation = client.renegotiate();

    assertThat(renegotiation.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(renegotiation.isSuccess()).isFalse();
    assertThat(renegotiation.cause()).hasMessageContaining("no_renegotiation");
    assertThat(server.engine().getSession().getId()).isEqualTo(sessionId);
  }
}

package dev.tern.edge.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tern.edge.tls.Loopback.Connection;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /** Runs {@code openssl s_client} against the server until the handshake is over. */
  static String opensslClient(String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/openssl", "s_client",
        "-connect", "127.0.0.1:" + loopback.port(), "-servername", Loopback.DOMAIN));
    command.addAll(List.of(options));
    Path transcript = Files.createTempFile(dir, "openssl", ".txt");
    Process openssl = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(transcript.toFile())
        .start();
    openssl.getOutputStream().close(); // end of input: s_client leaves after the handshake
    boolean exited = openssl.waitFor(20, TimeUnit.SECONDS);
    openssl.destroyForcibly();
    String output = Files.readString(transcript, StandardCharsets.UTF_8);
    assertThat(exited).as(output).isTrue();
    return output;
  }

  @Test
  void opensslNegotiatesTls13AndTls12WithAlpnAndWithoutCompression() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "needs /usr/bin/openssl");

    String tls13 = opensslClient("-tls1_3", "-alpn", "xmpp-client");
    SslHandler server13 = loopback.accepted().get(10, TimeUnit.SECONDS);
    String tls12 = opensslClient("-tls1_2", "-alpn", "xmpp-client", "-comp");
    SslHandler server12 = loopback.accepted().get(10, TimeUnit.SECONDS);

    assertThat(tls13).contains("TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256",
        "ALPN protocol: xmpp-client");
    assertThat(server13.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(tls12).contains("TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256",
        "Compression: NONE", "ALPN protocol: xmpp-client");
    assertThat(server12.engine().getSession().getCipherSuite())
        .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
  }

  @Test
  void opensslOfferingOnlyCbcOrStaticRsaSuitesIsRefused() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "needs /usr/bin/openssl");

    String output = opensslClient("-tls1_2",
        "-cipher", "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA:AES128-GCM-SHA256");

    assertThat(output).contains("handshake failure");
    assertThatThrownBy(() -> loopback.accepted().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
  }
}

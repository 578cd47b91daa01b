package dev.tern.edge.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.edge.tls.Loopback.Connection;
import io.netty.handler.ssl.SslHandler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tls-exporter} (RFC 9266) on BoringSSL connections, checked against an independent
 * implementation: the {@code openssl} command line tool's keying-material exporter.
 */
class OpenSslExporterTest {

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

  @ParameterizedTest
  @ValueSource(strings = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"})
  void theServersBindingIsWhatOpensslExportsForTheSameConnection(String suite) throws Exception {
    Process openssl = new ProcessBuilder("openssl", "s_client", "-connect",
        "127.0.0.1:" + loopback.port(), "-servername", Loopback.DOMAIN, "-tls1_3",
        "-ciphersuites", suite, "-keymatexport", "EXPORTER-Channel-Binding",
        "-keymatexportlen", "32")
        .redirectErrorStream(true)
        .start();
    try {
      String exported = null;
      BufferedReader out = new BufferedReader(
          new InputStreamReader(openssl.getInputStream(), StandardCharsets.US_ASCII));
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.trim().startsWith("Keying material:")) {
          exported = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      assertThat(exported).as("openssl printed the exported keying material").isNotNull();
      String expected = exported;

      SslHandler server = loopback.accepted().get(10, TimeUnit.SECONDS);
      assertThat(server.engine().getSession().getCipherSuite()).isEqualTo(suite);
      assertThat(ChannelBindings.tlsExporter(server))
          .hasValueSatisfying(b -> assertThat(HexFormat.of().formatHex(b))
              .isEqualToIgnoringCase(expected));
    } finally {
      openssl.destroy();
      openssl.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void bothEndsOfABoringSslConnectionHaveTheSameBinding() throws Exception {
    Connection c = loopback.connect(TlsContexts.openSslClient(km.chain()));

    byte[] server = ChannelBindings.tlsExporter(c.serverSide()).orElseThrow();
    assertThat(server).hasSize(ChannelBindings.TLS_EXPORTER_LENGTH);
    assertThat(ChannelBindings.tlsExporter(c.clientSide())).hasValueSatisfying(
        client -> assertThat(client).isEqualTo(server));
    c.clientChannel().close().sync();
  }

  @Test
  void twoConnectionsHaveDifferentBindings() throws Exception {
    Connection first = loopback.connect(TlsContexts.openSslClient(km.chain()));
    Connection second = loopback.connect(TlsContexts.openSslClient(km.chain()));

    assertThat(ChannelBindings.tlsExporter(first.serverSide()).orElseThrow())
        .isNotEqualTo(ChannelBindings.tlsExporter(second.serverSide()).orElseThrow());
    first.clientChannel().close().sync();
    second.clientChannel().close().sync();
  }

  @Test
  void aTls12ConnectionHasNoTlsExporter() throws Exception {
    Connection c = loopback.connect(TlsContexts.preset(io.netty.handler.ssl.SslContextBuilder
            .forClient().trustManager(km.chain()))
        .protocols("TLSv1.2").build());

    assertThat(c.serverSide().engine().getSession().getProtocol()).isEqualTo("TLSv1.2");
    assertThat(ChannelBindings.tlsExporter(c.serverSide())).isEmpty();
    assertThat(ChannelBindings.tlsServerEndPoint(c.serverSide())).isPresent();
    c.clientChannel().close().sync();
  }

  @Test
  void aBindingIsForgottenWhenItsConnectionCloses() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> OpenSslExporter.kept() == 0);
    Connection c = loopback.connect(TlsContexts.openSslClient(km.chain()));
    c.serverSide();
    c.clientSide();
    assertThat(OpenSslExporter.kept()).isEqualTo(2); // the server's end and the client's

    c.clientChannel().close().sync();

    await().atMost(Duration.ofSeconds(10)).until(() -> OpenSslExporter.kept() == 0);
  }

  @Test
  void aForgottenBindingIsNoLongerOfferedWhileTheConnectionStaysOpen() throws Exception {
    Connection c = loopback.connect(TlsContexts.openSslClient(km.chain()));
    assertThat(ChannelBindings.tlsExporter(c.serverSide())).isPresent();

    OpenSslExporter.forget(c.serverSide());

    assertThat(ChannelBindings.tlsExporter(c.serverSide())).isEmpty();
    assertThat(ChannelBindings.tlsExporter(c.clientSide())).isPresent();
    assertThat(c.clientChannel().isActive()).isTrue();
    c.clientChannel().close().sync();
  }

  @Test
  void theExporterFollowsRfc8446WithTheHandshakesHash() {
    byte[] secret = new byte[32];
    byte[] a = OpenSslExporter.export(secret, false, "L".getBytes(StandardCharsets.US_ASCII),
        new byte[0], 32);
    byte[] b = OpenSslExporter.export(secret, true, "L".getBytes(StandardCharsets.US_ASCII),
        new byte[0], 32);
    assertThat(a).hasSize(32).isNotEqualTo(b);
    assertThat(List.of(a.length, b.length)).containsOnly(32);
  }
}

package dev.tern.edge.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.edge.tls.Loopback.Connection;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.Socket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelBindingsTest {

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

  static SslContext tls12Client() throws Exception {
    return TlsContexts.preset(SslContextBuilder.forClient().trustManager(km.chain()))
        .protocols("TLSv1.2")
        .build();
  }

  static byte[] sha256(X509Certificate certificate) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
  }

  @Test
  void tlsExporterIsUnavailableBecauseBouncyCastle184WipesTheExporterSecretAfterTheHandshake()
      throws Exception {
    // bc-java issue 1535. When a release fixes it, this test fails: replace it by one asserting
    // that both ends compute the same 32 bytes, and that openssl s_client -keymatexport agrees.
    for (SslContext client : List.of(TlsContexts.client(km.chain()), tls12Client())) {
      Connection c = loopback.connect(client);

      assertThat(c.serverSide().engine().getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
      assertThat(ChannelBindings.tlsExporter(c.serverSide())).isEmpty();
      assertThat(ChannelBindings.tlsExporter(c.clientSide())).isEmpty();
    }
  }

  @Test
  void tlsServerEndPointIsTheSha256OfTheServerCertificateOnBothEnds() throws Exception {
    byte[] expected = sha256(km.certificate());

    for (SslContext client : List.of(TlsContexts.client(km.chain()), tls12Client())) {
      Connection c = loopback.connect(client);

      assertThat(ChannelBindings.tlsServerEndPoint(c.serverSide())).hasValue(expected);
      assertThat(ChannelBindings.tlsServerEndPoint(c.clientSide())).hasValue(expected);
    }
  }

  @Test
  void tlsUniqueIsTheSameOnBothEndsUnderTls12AndAbsentUnderTls13() throws Exception {
    Connection tls12 = loopback.connect(tls12Client());
    Connection tls13 = loopback.connect(TlsContexts.client(km.chain()));

    byte[] server = ChannelBindings.tlsUnique(tls12.serverSide()).orElseThrow();
    assertThat(server).hasSize(12); // verify_data of the client's Finished (RFC 5246 §7.4.9)
    assertThat(ChannelBindings.tlsUnique(tls12.clientSide())).hasValue(server);
    assertThat(ChannelBindings.tlsUnique(tls13.serverSide())).isEmpty();
    assertThat(ChannelBindings.tlsUnique(tls13.clientSide())).isEmpty();
  }

  @Test
  void aTls12ClientWithoutExtendedMasterSecretGetsOnlyTlsServerEndPoint() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", loopback.port())) {
      TlsClientProtocol protocol =
          new TlsClientProtocol(socket.getInputStream(), socket.getOutputStream());
      protocol.connect(new DefaultTlsClient(new BcTlsCrypto(new SecureRandom())) {
        @Override
        protected ProtocolVersion[] getSupportedVersions() {
          return ProtocolVersion.TLSv12.only();
        }

        @Override
        public boolean shouldUseExtendedMasterSecret() {
          return false;
        }

        @Override
        public TlsAuthentication getAuthentication() {
          return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate certificate) {}

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) {
              throw new UnsupportedOperationException("the server asks for no certificate");
            }
          };
        }
      });
      SslHandler server = loopback.accepted().get(10, TimeUnit.SECONDS);

      assertThat(server.engine().getSession().getProtocol()).isEqualTo("TLSv1.2");
      assertThat(ChannelBindings.tlsExporter(server)).isEmpty();
      assertThat(ChannelBindings.tlsUnique(server)).isEmpty();
      assertThat(ChannelBindings.tlsServerEndPoint(server)).hasValue(sha256(km.certificate()));
      protocol.close();
    }
  }

  @Test
  void aClientOnAnotherTlsProviderHasOnlyTlsServerEndPoint() throws Exception {
    Connection c = loopback.connect(SslContextBuilder.forClient()
        .sslProvider(SslProvider.JDK)
        .trustManager(km.chain())
        .protocols("TLSv1.2")
        .build());

    assertThat(ChannelBindings.tlsUnique(c.clientSide())).isEmpty();
    assertThat(ChannelBindings.tlsServerEndPoint(c.clientSide()))
        .hasValue(sha256(km.certificate()));
    assertThat(ChannelBindings.tlsServerEndPoint(c.serverSide()))
        .hasValue(sha256(km.certificate()));
  }

  @Test
  void beforeTheHandshakeThereAreNoBindings() {
    SslHandler handler = TlsContexts.server(km).newHandler(ByteBufAllocator.DEFAULT);

    assertThat(ChannelBindings.tlsExporter(handler)).isEmpty();
    assertThat(ChannelBindings.tlsServerEndPoint(handler)).isEmpty();
    assertThat(ChannelBindings.tlsUnique(handler)).isEmpty();
  }

  @Test
  void tlsServerEndPointHashesWithTheSignatureHashButNeverWithMd5OrSha1() throws Exception {
    X509Certificate sha384 = TestCertificates.selfSigned("EC", 384, "SHA384withECDSA")
        .certificate();
    X509Certificate pss = TestCertificates.selfSigned("RSA", 2048, "SHA512withRSAandMGF1")
        .certificate();
    X509Certificate sha1 = TestCertificates.selfSigned("RSA", 2048, "SHA1withRSA").certificate();
    X509Certificate ed25519 = TestCertificates.selfSigned("Ed25519", 0, "Ed25519").certificate();

    assertThat(ChannelBindings.tlsServerEndPoint(sha384))
        .hasValue(MessageDigest.getInstance("SHA-384").digest(sha384.getEncoded()));
    assertThat(ChannelBindings.tlsServerEndPoint(pss))
        .hasValue(MessageDigest.getInstance("SHA-512").digest(pss.getEncoded()));
    assertThat(ChannelBindings.tlsServerEndPoint(sha1)).hasValue(sha256(sha1));
    assertThat(ChannelBindings.tlsServerEndPoint(ed25519)).isEmpty();
  }
}

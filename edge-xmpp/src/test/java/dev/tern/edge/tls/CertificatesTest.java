package dev.tern.edge.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificatesTest {

  @TempDir
  Path dir;

  static void writePem(Path file, Object... objects) throws Exception {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        pem.writeObject(o);
      }
    }
  }

  /** The subjectAltName entries as "dns:NAME" and "xmpp:ADDRESS". */
  static List<String> altNames(X509Certificate certificate) throws Exception {
    GeneralNames names = GeneralNames.getInstance(new JcaX509CertificateHolder(certificate)
        .getExtension(Extension.subjectAlternativeName).getParsedValue());
    List<String> result = new ArrayList<>();
    for (GeneralName name : names.getNames()) {
      if (name.getTagNo() == GeneralName.dNSName) {
        result.add("dns:" + name.getName());
      } else if (name.getTagNo() == GeneralName.otherName) {
        OtherName other = OtherName.getInstance(name.getName());
        assertThat(other.getTypeID()).isEqualTo(Certificates.ID_ON_XMPP_ADDR);
        result.add("xmpp:" + DERUTF8String.getInstance(other.getValue()).getString());
      }
    }
    return result;
  }

  @Test
  void theFirstStartGeneratesAnEcP256CertificateNamingTheDomain() throws Exception {
    KeyMaterial km = Certificates.selfSigned("example.org", dir);

    X509Certificate certificate = km.certificate();
    assertThat(km.chain()).hasSize(1);
    assertThat(certificate.getSigAlgName()).isEqualToIgnoringCase("SHA256withECDSA");
    assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField()
        .getFieldSize()).isEqualTo(256);
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=example.org");
    assertThat(altNames(certificate))
        .containsExactly("dns:example.org", "dns:*.example.org", "xmpp:example.org");
    assertThat(Duration.between(Instant.now(), certificate.getNotAfter().toInstant()))
        .isBetween(Duration.ofDays(729), Duration.ofDays(731));
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    certificate.verify(certificate.getPublicKey());
  }

  @Test
  void theKeyIsWrittenReadableByTheOwnerOnlyAndBothFilesArePem() throws Exception {
    Certificates.selfSigned("example.org", dir);

    Path key = dir.resolve("example.org.key.pem");
    Path certificate = dir.resolve("example.org.crt.pem");
    assertThat(Files.getPosixFilePermissions(key))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(certificate)).startsWith("-----BEGIN CERTIFICATE-----");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("example.org.key.pem", "example.org.crt.pem");
    }
  }

  @Test
  void laterStartsReuseTheSameCertificateAndKey() throws Exception {
    KeyMaterial first = Certificates.selfSigned("example.org", dir);

    KeyMaterial second = Certificates.selfSigned("example.org", dir);

    assertThat(second.certificate()).isEqualTo(first.certificate());
    assertThat(second.key().getEncoded()).isEqualTo(first.key().getEncoded());
  }

  @Test
  void anExpiredCertificateIsReplacedByANewOne() throws Exception {
    Clock threeYearsAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(3 * 365)),
        ZoneOffset.UTC);
    KeyMaterial old = Certificates.selfSigned("example.org", dir, threeYearsAgo);

    KeyMaterial renewed = Certificates.selfSigned("example.org", dir);

    assertThat(renewed.certificate()).isNotEqualTo(old.certificate());
    assertThat(renewed.certificate().getNotAfter().toInstant()).isAfter(Instant.now());
    assertThat(Certificates.selfSigned("example.org", dir).certificate())
        .isEqualTo(renewed.certificate());
  }

  @Test
  void aUnicodeDomainIsNamedByItsALabelInDnsAndByItsUnicodeFormInXmppAddr() throws Exception {
    KeyMaterial km = Certificates.selfSigned("bücher.example", dir);

    assertThat(altNames(km.certificate())).containsExactly("dns:xn--bcher-kva.example",
        "dns:*.xn--bcher-kva.example", "xmpp:bücher.example");
    assertThat(dir.resolve("xn--bcher-kva.example.crt.pem")).exists();
  }

  @Test
  void aDomainThatIsNoDnsNameIsRefused() {
    assertThatThrownBy(() -> Certificates.selfSigned("../etc", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("../etc");
    assertThatThrownBy(() -> Certificates.selfSigned("", dir))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fromPemReadsAChainAndAPkcs8Key() throws Exception {
    KeyPair ca = TestCertificates.keyPair("EC", 256);
    KeyPair server = TestCertificates.keyPair("EC", 256);
    X509Certificate caCertificate =
        TestCertificates.issue(new X500Name("CN=Test CA"), ca, ca, "SHA256withECDSA");
    X509Certificate leaf =
        TestCertificates.issue(new X500Name("CN=example.net"), server, ca, "SHA256withECDSA");
    Path chain = dir.resolve("chain.pem");
    Path key = dir.resolve("key.pem");
    writePem(chain, leaf, caCertificate);
    writePem(key, new JcaPKCS8Generator(server.getPrivate(), null));

    KeyMaterial km = Certificates.fromPem(chain, key);

    assertThat(km.chain()).containsExactly(leaf, caCertificate);
    assertThat(km.key().getEncoded()).isEqualTo(server.getPrivate().getEncoded());
  }

  @Test
  void fromPemReadsTraditionalEcAndRsaKeys() throws Exception {
    for (String algorithm : List.of("EC", "RSA")) {
      TestCertificates.Signed signed = TestCertificates.selfSigned(algorithm,
          algorithm.equals("EC") ? 256 : 2048,
          algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA");
      Path certificate = dir.resolve(algorithm + ".crt.pem");
      Path key = dir.resolve(algorithm + ".key.pem");
      writePem(certificate, signed.certificate());
      writePem(key, signed.pair()); // OpenSSL's traditional form

      KeyMaterial km = Certificates.fromPem(certificate, key);

      assertThat(Files.readString(key)).startsWith("-----BEGIN " + algorithm + " PRIVATE KEY");
      assertThat(km.key().getAlgorithm()).isIn(algorithm, "ECDSA");
      assertThat(km.certificate()).isEqualTo(signed.certificate());
    }
  }

  @Test
  void fromPemTakesKeyAndCertificateFromOneFile() throws Exception {
    TestCertificates.Signed signed = TestCertificates.selfSigned("EC", 256, "SHA256withECDSA");
    Path both = dir.resolve("both.pem");
    writePem(both, signed.pair(), signed.certificate());

    KeyMaterial km = Certificates.fromPem(both, both);

    assertThat(km.chain()).containsExactly(signed.certificate());
  }

  @Test
  void aFileWithoutCertificateIsNamedInTheError() throws Exception {
    TestCertificates.Signed signed = TestCertificates.selfSigned("EC", 256, "SHA256withECDSA");
    Path keyOnly = dir.resolve("key-only.pem");
    writePem(keyOnly, signed.pair());

    assertThatThrownBy(() -> Certificates.fromPem(keyOnly, keyOnly))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("no PEM certificate")
        .hasMessageContaining(keyOnly.toString());
  }

  @Test
  void aFileWithoutKeyIsNamedInTheError() throws Exception {
    TestCertificates.Signed signed = TestCertificates.selfSigned("EC", 256, "SHA256withECDSA");
    Path certificateOnly = dir.resolve("certificate-only.pem");
    writePem(certificateOnly, signed.certificate());

    assertThatThrownBy(() -> Certificates.fromPem(certificateOnly, certificateOnly))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("no PEM private key")
        .hasMessageContaining(certificateOnly.toString());
  }

  @Test
  void aFileThatIsNoPemIsNamedInTheError() throws Exception {
    TestCertificates.Signed signed = TestCertificates.selfSigned("EC", 256, "SHA256withECDSA");
    Path certificate = dir.resolve("server.crt.pem");
    writePem(certificate, signed.certificate());
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n"
        + "-----END PRIVATE KEY-----\n");
    Path missing = dir.resolve("missing.pem");

    assertThatThrownBy(() -> Certificates.fromPem(certificate, garbage))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(garbage.toString());
    assertThatThrownBy(() -> Certificates.fromPem(garbage, certificate))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(garbage.toString());
    assertThatThrownBy(() -> Certificates.fromPem(certificate, missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedNamingBothFiles() throws Exception {
    TestCertificates.Signed one = TestCertificates.selfSigned("EC", 256, "SHA256withECDSA");
    TestCertificates.Signed other = TestCertificates.selfSigned("EC", 256, "SHA256withECDSA");
    Path certificate = dir.resolve("one.crt.pem");
    Path key = dir.resolve("other.key.pem");
    writePem(certificate, one.certificate());
    writePem(key, other.pair());

    assertThatThrownBy(() -> Certificates.fromPem(certificate, key))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("does not belong")
        .hasMessageContaining(certificate.toString())
        .hasMessageContaining(key.toString());
  }

  @Test
  void anEncryptedKeyIsRefusedNamingTheFile() throws Exception {
    TestCertificates.Signed signed = TestCertificates.selfSigned("EC", 256, "SHA256withECDSA");
    Path certificate = dir.resolve("server.crt.pem");
    Path key = dir.resolve("encrypted.key.pem");
    writePem(certificate, signed.certificate());
    writePem(key, new JcaPKCS8Generator(signed.pair().getPrivate(),
        new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
            .setProvider(Providers.CRYPTO)
            .setPassword("secret".toCharArray())
            .build()));

    assertThatThrownBy(() -> Certificates.fromPem(certificate, key))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("encrypted")
        .hasMessageContaining(key.toString());
  }
}

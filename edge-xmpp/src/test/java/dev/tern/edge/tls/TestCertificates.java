package dev.tern.edge.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made the way operators' certificate authorities might make them. */
final class TestCertificates {

  /** A key pair and a self-signed certificate for it. */
  record Signed(KeyPair pair, X509Certificate certificate) {}

  private TestCertificates() {}

  static KeyPair keyPair(String algorithm, int size) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm, Providers.CRYPTO);
    if (size > 0) {
      generator.initialize(size);
    }
    return generator.generateKeyPair();
  }

  static Signed selfSigned(String keyAlgorithm, int keySize, String signatureAlgorithm)
      throws Exception {
    KeyPair pair = keyPair(keyAlgorithm, keySize);
    return new Signed(pair, issue(new X500Name("CN=example.com"), pair, pair, signatureAlgorithm));
  }

  /**
   * A certificate for {@code subject}'s public key, signed with {@code issuer}'s private key, with
   * {@code dnsNames} as its subject alternative names if there are any; a self-signed one may
   * issue others (a CA).
   */
  static X509Certificate issue(X500Name subjectName, KeyPair subject, KeyPair issuer,
      String signatureAlgorithm, String... dnsNames) throws Exception {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        new X500Name("CN=Test CA"), BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
        subjectName, subject.getPublic());
    if (subject == issuer) {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    }
    if (dnsNames.length > 0) {
      GeneralName[] names = new GeneralName[dnsNames.length];
      for (int i = 0; i < names.length; i++) {
        names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
      }
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    }
    return new JcaX509CertificateConverter().setProvider(Providers.CRYPTO).getCertificate(
        builder.build(new JcaContentSignerBuilder(signatureAlgorithm)
            .setProvider(Providers.CRYPTO).build(issuer.getPrivate())));
  }
}

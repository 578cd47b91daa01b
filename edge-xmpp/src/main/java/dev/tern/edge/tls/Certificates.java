package dev.tern.edge.tls;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.jspecify.annotations.Nullable;

/**
 * Where a server's {@link KeyMaterial} comes from: PEM files an operator supplies, or a
 * self-signed certificate generated once and kept on disk for development and tests.
 *
 * <p>Errors are reported as {@link UncheckedIOException}s whose message names the file, so that
 * a misconfigured server fails at start-up saying which file to fix.
 */
public final class Certificates {

  /** How long a generated certificate is valid. */
  static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(730);

  /** A kept certificate this close to its end is replaced at start-up rather than reused. */
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  /** {@code id-on-xmppAddr}, the otherName form of an XMPP address (RFC 6120 §13.7.1.4). */
  static final ASN1ObjectIdentifier ID_ON_XMPP_ADDR = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.5");

  private static final Set<PosixFilePermission> KEY_FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> CERTIFICATE_FILE_MODE =
      PosixFilePermissions.fromString("rw-r--r--");

  private Certificates() {}

  /**
   * Returns a self-signed certificate for {@code domain}, kept in {@code dir} as
   * {@code <domain>.crt.pem} and {@code <domain>.key.pem} (mode 0600).
   *
   * <p>The first call generates an EC P-256 key and a certificate signed with SHA256withECDSA
   * whose subjectAltName holds the dNSNames {@code domain} and {@code *.domain} and the
   * {@code id-on-xmppAddr} of the domain; it is valid for two years. Later calls load the
   * files again, and generate new ones only when the certificate has expired or expires within
   * 30 days, or when one of the files is missing. Files that exist but cannot be read are
   * reported, never overwritten.
   *
   * @param domain the XMPP domain, a DNS name (Unicode names are stored in their A-label form)
   * @param dir where the files are kept; created if missing
   */
  public static KeyMaterial selfSigned(String domain, Path dir) {
    return selfSigned(domain, dir, Clock.systemUTC());
  }

  static KeyMaterial selfSigned(String domain, Path dir, Clock clock) {
    requireNonNull(domain, "domain");
    requireNonNull(dir, "dir");
    requireNonNull(clock, "clock");
    String name = dnsName(domain);
    Path certificateFile = dir.resolve(name + ".crt.pem");
    Path keyFile = dir.resolve(name + ".key.pem");
    Instant now = clock.instant();
    if (Files.isRegularFile(certificateFile) && Files.isRegularFile(keyFile)) {
      KeyMaterial kept = fromPem(certificateFile, keyFile);
      if (now.plus(RENEW_BEFORE).isBefore(kept.certificate().getNotAfter().toInstant())) {
        return kept;
      }
    }
    KeyMaterial generated = generate(name, now);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create directory " + dir + ": " + e.getMessage(), e);
    }
    // The key first: a certificate on disk without its key would be reloaded and fail.
    writeAtomically(keyFile, pem(generated.key()), KEY_FILE_MODE);
    writeAtomically(certificateFile, pem(generated.certificate()), CERTIFICATE_FILE_MODE);
    return generated;
  }

  /**
   * Loads operator-supplied PEM files.
   *
   * @param certificateChainPem the server certificate followed by its intermediates; other PEM
   *     objects in the file (such as a key) are skipped
   * @param privateKeyPem the unencrypted private key, as PKCS#8 ({@code PRIVATE KEY}) or in the
   *     traditional OpenSSL form ({@code EC PRIVATE KEY}, {@code RSA PRIVATE KEY}); may be the same
   *     file as {@code certificateChainPem}
   * @throws UncheckedIOException naming the file that cannot be read, holds no certificate or key,
   *     holds an encrypted key, or whose key does not belong to the certificate
   */
  public static KeyMaterial fromPem(Path certificateChainPem, Path privateKeyPem) {
    requireNonNull(certificateChainPem, "certificateChainPem");
    requireNonNull(privateKeyPem, "privateKeyPem");
    List<X509Certificate> chain = readChain(certificateChainPem);
    PrivateKey key = readKey(privateKeyPem);
    if (!belongTogether(key, chain.get(0).getPublicKey())) {
      throw new UncheckedIOException(new IOException("the private key in " + privateKeyPem
          + " does not belong to the first certificate in " + certificateChainPem));
    }
    return new KeyMaterial(key, chain);
  }

  /** The ASCII (A-label) form of a DNS domain name, safe to use in a file name. */
  private static String dnsName(String domain) {
    String name = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    String ascii;
    try {
      ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a DNS domain name: '" + domain + "'", e);
    }
    if (ascii.isEmpty() || ascii.startsWith(".") || ascii.contains("..")) {
      throw new IllegalArgumentException("not a DNS domain name: '" + domain + "'");
    }
    return ascii;
  }

  private static KeyMaterial generate(String domain, Instant now) {
    try {
      SecureRandom random = new SecureRandom();
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.CRYPTO);
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair pair = generator.generateKeyPair();
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, domain).build();
      // A positive serial of at most 20 octets (RFC 5280 §4.1.2.2).
      BigInteger serial = new BigInteger(159, random).add(BigInteger.ONE);
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(SELF_SIGNED_VALIDITY)),
          subject, pair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      // clientAuth too: the same certificate serves server-to-server links (RFC 6120 §13.7.1).
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
          new GeneralName[] {
              new GeneralName(GeneralName.dNSName, domain),
              new GeneralName(GeneralName.dNSName, "*." + domain),
              new GeneralName(GeneralName.otherName,
                  new OtherName(ID_ON_XMPP_ADDR, new DERUTF8String(IDN.toUnicode(domain))))}));
      X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
          .setProvider(Providers.CRYPTO).build(pair.getPrivate()));
      X509Certificate certificate =
          new JcaX509CertificateConverter().setProvider(Providers.CRYPTO).getCertificate(holder);
      return new KeyMaterial(pair.getPrivate(), List.of(certificate));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("cannot generate a certificate for " + domain, e);
    }
  }

  private static List<X509Certificate> readChain(Path file) {
    JcaX509CertificateConverter converter =
        new JcaX509CertificateConverter().setProvider(Providers.CRYPTO);
    List<X509Certificate> chain = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          chain.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new UncheckedIOException(new IOException(
          "cannot read the certificate chain in " + file + ": " + e.getMessage(), e));
    }
    if (chain.isEmpty()) {
      throw new UncheckedIOException(
          new IOException("no PEM certificate (BEGIN CERTIFICATE) in " + file));
    }
    return chain;
  }

  private static PrivateKey readKey(Path file) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(Providers.CRYPTO);
    boolean encrypted = false;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        encrypted |= o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair;
      }
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(new IOException(
          "cannot read the private key in " + file + ": " + e.getMessage(), e));
    }
    throw new UncheckedIOException(new IOException(encrypted
        ? "the private key in " + file + " is encrypted; supply it without a passphrase"
            + " (openssl pkey -in KEY -out PLAIN)"
        : "no PEM private key (BEGIN PRIVATE KEY, BEGIN EC PRIVATE KEY or BEGIN RSA PRIVATE KEY)"
            + " in " + file));
  }

  /** Whether {@code key} signs what {@code publicKey} verifies. */
  private static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())
        && !(isEc(key.getAlgorithm()) && isEc(publicKey.getAlgorithm()))) {
      return false;
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
      default -> throw new UncheckedIOException(new IOException(
          "unsupported private key algorithm " + key.getAlgorithm()));
    };
    try {
      byte[] probe = "tern key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm, Providers.CRYPTO);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm, Providers.CRYPTO);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean isEc(String algorithm) {
    return algorithm.equals("EC") || algorithm.equals("ECDSA");
  }

  /** PEM text of a certificate, or of a private key as unencrypted PKCS#8. */
  private static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      if (object instanceof PrivateKey key) {
        writer.writeObject(new JcaPKCS8Generator(key, null));
      } else {
        writer.writeObject(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** Writes through a temporary file so that a crash never leaves half a key behind. */
  private static void writeAtomically(Path file, String text, Set<PosixFilePermission> mode) {
    Path dir = file.toAbsolutePath().getParent();
    @Nullable Path temporary = null;
    try {
      boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
      temporary = posix
          ? Files.createTempFile(dir, ".tern-", ".tmp", PosixFilePermissions.asFileAttribute(mode))
          : Files.createTempFile(dir, ".tern-", ".tmp");
      try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII)) {
        writer.write(text);
      }
      try {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
      temporary = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // The write already failed; that is the error worth reporting.
        }
      }
    }
  }
}

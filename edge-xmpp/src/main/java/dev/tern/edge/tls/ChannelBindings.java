package dev.tern.edge.tls;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.jsse.BCSSLConnection;
import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.jspecify.annotations.Nullable;

/**
 * TLS channel bindings of an established connection, for SASL SCRAM-PLUS (RFC 5802 §6,
 * XEP-0440). Each method answers empty when the binding does not exist for the connection: before
 * the handshake has completed, when the spec leaves it undefined or unsafe for the negotiated
 * parameters, or when the provider cannot produce it. Results are fresh copies.
 *
 * <ul>
 *   <li>{@code tls-server-end-point}: computed here from the certificate, under TLS 1.3 and 1.2,
 *       with either provider;
 *   <li>{@code tls-exporter}: on BoringSSL (the edge's default) under TLS 1.3, derived from the
 *       exporter secret BoringSSL's key log hands over during the handshake
 *       ({@link OpenSslExporter}); on Bouncy Castle's JSSE never:
 *       {@code BCSSLConnection.getChannelBinding("tls-exporter")} exists, but Bouncy Castle 1.84
 *       wipes the exporter secret as the handshake completes and offers an {@code SSLEngine} user
 *       no callback before that ("Export of key material only available from
 *       notifyHandshakeComplete()", bc-java issue 1535);
 *   <li>{@code tls-unique}: from Bouncy Castle, under TLS 1.2 with the extended master secret.
 * </ul>
 */
public final class ChannelBindings {

  /** The length of {@code tls-exporter} (RFC 9266 §2). */
  public static final int TLS_EXPORTER_LENGTH = 32;

  /** MD5 and SHA-1 signatures bind with SHA-256 instead (RFC 5929 §4.1). */
  private static final Set<ASN1ObjectIdentifier> WEAK_DIGESTS =
      Set.of(PKCSObjectIdentifiers.md5, OIWObjectIdentifiers.idSHA1);

  /** Signatures without a separate hash, for which RFC 5929 §4.1 leaves the binding undefined. */
  private static final Set<ASN1ObjectIdentifier> HASHLESS_SIGNATURES =
      Set.of(EdECObjectIdentifiers.id_Ed25519, EdECObjectIdentifiers.id_Ed448);

  private ChannelBindings() {}

  /**
   * {@code tls-exporter} (RFC 9266): 32 bytes exported with the label
   * {@code EXPORTER-Channel-Binding} and an empty context. Defined under TLS 1.3, and under
   * TLS 1.2 only when the extended master secret (RFC 7627) was negotiated. Here: BoringSSL
   * connections under TLS 1.3; never with Bouncy Castle 1.84, which cannot export once the
   * handshake is over (see the class comment).
   */
  public static Optional<byte[]> tlsExporter(SslHandler handler) {
    requireNonNull(handler, "handler");
    if (handshakeDone(handler) && !(handler.engine() instanceof BCSSLEngine)) {
      return OpenSslExporter.tlsExporter(handler.engine());
    }
    return connection(handler).flatMap(c -> binding(c, "tls-exporter"));
  }

  /**
   * {@code tls-server-end-point} (RFC 5929 §4.1): the hash of the server's certificate, with the
   * hash function of its signature, or SHA-256 where that is MD5 or SHA-1. On the server side the
   * certificate is the one sent, on the client side the one received. Empty for certificates
   * whose signature has no single hash function (such as Ed25519).
   */
  public static Optional<byte[]> tlsServerEndPoint(SslHandler handler) {
    requireNonNull(handler, "handler");
    if (!handshakeDone(handler)) {
      return Optional.empty();
    }
    SSLEngine engine = handler.engine();
    SSLSession session = engine.getSession();
    Certificate @Nullable [] certificates;
    try {
      certificates = engine.getUseClientMode()
          ? session.getPeerCertificates()
          : session.getLocalCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
    if (certificates == null || certificates.length == 0
        || !(certificates[0] instanceof X509Certificate server)) {
      return Optional.empty();
    }
    return tlsServerEndPoint(server);
  }

  /** {@code tls-server-end-point} (RFC 5929 §4.1) of the given server certificate. */
  public static Optional<byte[]> tlsServerEndPoint(X509Certificate serverCertificate) {
    requireNonNull(serverCertificate, "serverCertificate");
    try {
      byte[] parameters = serverCertificate.getSigAlgParams();
      AlgorithmIdentifier signature = new AlgorithmIdentifier(
          new ASN1ObjectIdentifier(serverCertificate.getSigAlgOID()),
          parameters == null ? null : ASN1Primitive.fromByteArray(parameters));
      if (HASHLESS_SIGNATURES.contains(signature.getAlgorithm())) {
        return Optional.empty();
      }
      AlgorithmIdentifier digest = new DefaultDigestAlgorithmIdentifierFinder().find(signature);
      if (digest == null) {
        return Optional.empty();
      }
      ASN1ObjectIdentifier digestOid = WEAK_DIGESTS.contains(digest.getAlgorithm())
          ? NISTObjectIdentifiers.id_sha256
          : digest.getAlgorithm();
      MessageDigest md = MessageDigest.getInstance(digestOid.getId(), Providers.CRYPTO);
      return Optional.of(md.digest(serverCertificate.getEncoded()));
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code tls-unique} (RFC 5929 §3): the first Finished message of the latest handshake. Only
   * TLS 1.2 has it (RFC 8446 §C.5), and here only with the extended master secret: without it a
   * resumed session lets a man in the middle give two connections the same value (RFC 7627 §1,
   * "triple handshake").
   */
  public static Optional<byte[]> tlsUnique(SslHandler handler) {
    requireNonNull(handler, "handler");
    return connection(handler)
        .filter(c -> "TLSv1.2".equals(c.getSession().getProtocol()))
        .filter(ChannelBindings::extendedMasterSecret)
        .flatMap(c -> binding(c, "tls-unique"));
  }

  /**
   * Whether the connection negotiated the extended master secret (RFC 7627). BCJSSE does not
   * expose it, but its exporter checks it first: without it the export fails saying that it
   * "requires extended_master_secret", with it the export succeeds or (1.84, after the handshake)
   * fails for the wiped secret.
   */
  private static boolean extendedMasterSecret(BCSSLConnection connection) {
    try {
      connection.getChannelBinding("tls-exporter");
      return true;
    } catch (IllegalStateException e) {
      String message = e.getMessage();
      return message == null || !message.contains("extended_master_secret");
    } catch (UnsupportedOperationException e) {
      return false; // a provider without tls-exporter, and so without a way to tell
    }
  }

  private static boolean handshakeDone(SslHandler handler) {
    return handler.handshakeFuture().isSuccess();
  }

  private static Optional<BCSSLConnection> connection(SslHandler handler) {
    if (!handshakeDone(handler) || !(handler.engine() instanceof BCSSLEngine engine)) {
      return Optional.empty();
    }
    return Optional.ofNullable(engine.getConnection());
  }

  private static Optional<byte[]> binding(BCSSLConnection connection, String type) {
    try {
      return Optional.ofNullable(connection.getChannelBinding(type));
    } catch (IllegalStateException | UnsupportedOperationException e) {
      // "Export of key material requires extended_master_secret", or not offered for the version
      return Optional.empty();
    }
  }
}

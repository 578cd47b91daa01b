package dev.tern.edge.tls;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jsse.BCSSLParameters;

/**
 * Netty {@link SslContext}s for XMPP streams, run on the Bouncy Castle JSSE provider (BCJSSE) so
 * that {@link ChannelBindings} can read channel bindings for SCRAM-PLUS, which SunJSSE does not
 * expose (see there for which ones Bouncy Castle 1.84 provides).
 *
 * <p>The settings follow RFC 7590 §3 (which defers to BCP 195, RFC 9325):
 *
 * <ul>
 *   <li>TLS 1.3 and TLS 1.2 only;
 *   <li>under TLS 1.2 only ECDHE key exchange with an AEAD cipher (AES-GCM, ChaCha20-Poly1305),
 *       so every session has forward secrecy;
 *   <li>no renegotiation: BCJSSE answers a renegotiating ClientHello with a
 *       {@code no_renegotiation} warning and keeps the session (its {@code RenegotiationPolicy} is
 *       DENY, with no property to change it), and TLS 1.3 has no renegotiation at all;
 *   <li>no TLS compression: Bouncy Castle implements only the {@code null} compression method
 *       (RFC 7590 §3.6);
 *   <li>the server's cipher suite order wins.
 * </ul>
 *
 * <p>A Direct TLS client (XEP-0368 §3) may offer the ALPN protocol {@code xmpp-client}; the
 * server then selects it. Clients that offer no ALPN, or only other protocols, are served all the
 * same without ALPN. The same context serves STARTTLS (RFC 6120 §5) and Direct TLS.
 */
public final class TlsContexts {

  /** The ALPN protocol id of client-to-server XMPP (XEP-0368 §3). */
  public static final String XMPP_CLIENT_ALPN = "xmpp-client";

  /** Newest first. */
  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** In order of preference; TLS 1.3 suites are all AEAD with (EC)DHE by design. */
  static final List<String> CIPHER_SUITES = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /**
   * BoringSSL's buffer for what a connection writes outside application data: handshake flights,
   * session tickets, alerts. netty-tcnative allocates it with each connection and keeps it until
   * the connection closes; Netty's default of 2 KiB is the largest single cost of an idle TLS
   * connection. Application data bypasses it, and a flight larger than it (a long certificate
   * chain) still goes out, in several pieces.
   */
  static final int HANDSHAKE_BUFFER_BYTES = 256;

  private static final char[] NO_PASSWORD = new char[0];

  private TlsContexts() {}

  /**
   * A server context presenting {@code km}, for both STARTTLS and Direct TLS listeners. Direct TLS
   * puts {@code newHandler(alloc)} first in the pipeline. STARTTLS (RFC 6120 §5.4.2.3) adds the
   * handler once {@code <proceed/>} has been flushed, or adds
   * {@code new SslHandler(context.newEngine(alloc), true)} before writing it, so that this first
   * write still goes out in the clear. Both ways get an engine with the settings above.
   *
   * @throws UncheckedIOException if the key cannot be used by the TLS provider
   */
  public static SslContext server(KeyMaterial km) {
    requireNonNull(km, "km");
    SslContext context = build(SslContextBuilder.forServer(keyManagers(km)));
    return new DelegatingSslContext(context) {
      @Override
      protected void initEngine(SSLEngine engine) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setUseCipherSuitesOrder(true);
        engine.setSSLParameters(parameters);
        // "" means: go on without ALPN; null would abort the handshake (no_application_protocol).
        ((BCSSLEngine) engine).setBCHandshakeApplicationProtocolSelector(
            (transport, offered) -> offered.contains(XMPP_CLIENT_ALPN) ? XMPP_CLIENT_ALPN : "");
      }
    };
  }

  /**
   * The same server settings as {@link #server} (TLS 1.3 and 1.2, AEAD suites with forward secrecy
   * only, the server's order, ALPN {@code xmpp-client} taken when offered) on BoringSSL through
   * netty-tcnative: a fraction of JSSE's memory per connection and much cheaper handshakes, which
   * is what an edge holding many idle connections needs. BoringSSL never renegotiates as a server
   * and has no TLS compression. Channel binding {@code tls-server-end-point} is computed from the
   * certificate ({@link ChannelBindings}); {@code tls-unique} is only offered on the JSSE context.
   *
   * @throws IllegalStateException if BoringSSL cannot be loaded on this platform
   */
  public static SslContext openSslServer(KeyMaterial km) {
    requireNonNull(km, "km");
    if (!io.netty.handler.ssl.OpenSsl.isAvailable()) {
      throw new IllegalStateException("BoringSSL (netty-tcnative) is not available here: "
          + io.netty.handler.ssl.OpenSsl.unavailabilityCause());
    }
    try {
      SslContext context = openSslPreset(SslContextBuilder.forServer(km.key(), km.chain())).build();
      ((ReferenceCountedOpenSslContext) context).setBioNonApplicationBufferSize(HANDSHAKE_BUFFER_BYTES);
      OpenSslExporter.install(context);
      return context;
    } catch (javax.net.ssl.SSLException e) {
      throw new UncheckedIOException(
          new IOException("cannot use the server key for TLS: " + e.getMessage(), e));
    }
  }

  /**
   * A BoringSSL client context with the protocols and suites of {@link #openSslServer}, offering
   * ALPN {@code xmpp-client}, whose connections have {@code tls-exporter} under TLS 1.3 once
   * {@link OpenSslExporter#track tracked}; for tests and tools. Handlers come from
   * {@code newHandler(alloc, domain, port)}; the certificate is verified against {@code trusted}.
   */
  public static SslContext openSslClient(List<X509Certificate> trusted) {
    requireNonNull(trusted, "trusted");
    try {
      SslContextBuilder builder = openSslPreset(SslContextBuilder.forClient())
          .endpointIdentificationAlgorithm("HTTPS");
      if (!trusted.isEmpty()) {
        builder.trustManager(trusted);
      }
      SslContext context = builder.build();
      OpenSslExporter.install(context);
      return context;
    } catch (javax.net.ssl.SSLException e) {
      throw new UncheckedIOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * A client context with the same protocol and cipher settings as {@link #server}, offering ALPN
   * {@code xmpp-client}; for tests and tools. Create handlers with
   * {@code newHandler(alloc, domain, port)}: the domain is sent as SNI and the server certificate
   * must match it (RFC 6125, HTTPS-style endpoint identification).
   *
   * @param trusted the certificates to trust as anchors; empty for the platform's default trust
   *     store
   */
  public static SslContext client(List<X509Certificate> trusted) {
    requireNonNull(trusted, "trusted");
    SslContextBuilder builder = SslContextBuilder.forClient().trustManager(trustManagers(trusted));
    return new DelegatingSslContext(build(builder)) {
      @Override
      protected void initEngine(SSLEngine engine) {
        BCSSLEngine bc = (BCSSLEngine) engine;
        BCSSLParameters parameters = bc.getParameters();
        parameters.setApplicationProtocols(new String[] {XMPP_CLIENT_ALPN});
        bc.setParameters(parameters);
      }
    };
  }

  /**
   * The ALPN protocol selected on {@code handler}'s connection, such as {@link #XMPP_CLIENT_ALPN};
   * empty before the handshake has completed or when the client offered none that the server
   * takes. (Netty's {@link SslHandler#applicationProtocol()} sees only its own ALPN wrappers.)
   */
  public static Optional<String> applicationProtocol(SslHandler handler) {
    requireNonNull(handler, "handler");
    if (!handler.handshakeFuture().isSuccess()) {
      return Optional.empty();
    }
    String selected = handler.engine().getApplicationProtocol();
    return selected == null || selected.isEmpty() ? Optional.empty() : Optional.of(selected);
  }

  /**
   * BoringSSL with the protocols and suites above and ALPN {@code xmpp-client}; a peer offering
   * only other protocols is served without ALPN (XEP-0368).
   */
  private static SslContextBuilder openSslPreset(SslContextBuilder builder) {
    return builder
        .sslProvider(SslProvider.OPENSSL)
        .protocols(PROTOCOLS)
        .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(new io.netty.handler.ssl.ApplicationProtocolConfig(
            io.netty.handler.ssl.ApplicationProtocolConfig.Protocol.ALPN,
            io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            XMPP_CLIENT_ALPN));
  }

  /** A builder preset with the provider, protocols and cipher suites; for tests to vary. */
  static SslContextBuilder preset(SslContextBuilder builder) {
    return builder
        .sslProvider(SslProvider.JDK)
        .sslContextProvider(Providers.JSSE)
        .protocols(PROTOCOLS)
        .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE);
  }

  /**
   * BCJSSE's own key manager: it understands the key types BCJSSE asks for (such as TLS 1.3
   * signature schemes), which SunJSSE's {@code SunX509} manager, Netty's default, does not.
   */
  private static KeyManagerFactory keyManagers(KeyMaterial km) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12", Providers.CRYPTO);
      store.load(null, null);
      store.setKeyEntry("server", km.key(), NO_PASSWORD,
          km.chain().toArray(new X509Certificate[0]));
      KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX", Providers.JSSE);
      factory.init(store, NO_PASSWORD);
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new UncheckedIOException(
          new IOException("cannot use the server key for TLS: " + e.getMessage(), e));
    }
  }

  private static TrustManagerFactory trustManagers(List<X509Certificate> trusted) {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX", Providers.JSSE);
      if (trusted.isEmpty()) {
        factory.init((KeyStore) null);
      } else {
        KeyStore store = KeyStore.getInstance("PKCS12", Providers.CRYPTO);
        store.load(null, null);
        for (int i = 0; i < trusted.size(); i++) {
          store.setCertificateEntry("trusted-" + i, requireNonNull(trusted.get(i), "trusted"));
        }
        factory.init(store);
      }
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new UncheckedIOException(
          new IOException("cannot set up trusted certificates: " + e.getMessage(), e));
    }
  }

  private static SslContext build(SslContextBuilder builder) {
    try {
      return preset(builder).build();
    } catch (SSLException e) {
      throw new UncheckedIOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }
}

package dev.tern.edge.tls;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * The Bouncy Castle providers, passed explicitly wherever they are used instead of being
 * installed in {@link java.security.Security}, so that the rest of the JVM is unaffected.
 */
final class Providers {

  /** Keys, certificates, digests and the TLS crypto behind {@link #JSSE}. */
  static final Provider CRYPTO = new BouncyCastleProvider();

  /** BCJSSE: unlike SunJSSE it exposes channel bindings (RFC 5929, RFC 9266). */
  static final Provider JSSE = new BouncyCastleJsseProvider(CRYPTO);

  private Providers() {}
}

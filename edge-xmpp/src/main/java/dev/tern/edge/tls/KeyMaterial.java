package dev.tern.edge.tls;

import static java.util.Objects.requireNonNull;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A server's private key and its certificate chain, leaf first.
 *
 * @param key the private key of the leaf certificate
 * @param chain the leaf certificate followed by any intermediates; never empty
 */
public record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {

  public KeyMaterial {
    requireNonNull(key, "key");
    chain = List.copyOf(requireNonNull(chain, "chain"));
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain must hold at least the leaf certificate");
    }
  }

  /** The certificate that names the server. */
  public X509Certificate certificate() {
    return chain.get(0);
  }
}

package dev.tern.edge;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An edge's settings.
 *
 * @param region the region this edge belongs to
 * @param domain the XMPP domain served
 * @param natsServers the region's NATS cluster, to reach the routers
 * @param natsTimeout connect and request timeout on NATS
 * @param c2s client-to-server listener with mandatory STARTTLS (RFC 6120), e.g. 5222
 * @param directTls client-to-server listener with TLS from the first byte (XEP-0368), e.g. 5223
 * @param webSocket whether {@code /ws} on the region's HTTP port speaks XMPP (RFC 7395)
 * @param registration whether in-band registration (XEP-0077) is open
 * @param tls where the certificate comes from
 * @param limits per-connection limits
 * @param proxy the SOCKS5 bytestreams proxy (XEP-0065), if the edge hosts one
 */
public record EdgeConfig(
    String region,
    String domain,
    List<String> natsServers,
    Duration natsTimeout,
    InetSocketAddress c2s,
    InetSocketAddress directTls,
    boolean webSocket,
    boolean registration,
    Tls tls,
    Limits limits,
    Optional<Proxy> proxy) {

  /**
   * @param address the proxy's JID, e.g. {@code proxy.localhost}
   * @param listen where its SOCKS5 listener binds
   * @param publicHost the host clients are told to connect to
   */
  public record Proxy(String address, InetSocketAddress listen, String publicHost) {
    public Proxy {
      requireNonNull(address, "address");
      requireNonNull(listen, "listen");
      requireNonNull(publicHost, "publicHost");
    }
  }

  /**
   * @param certificateChain operator's PEM chain; empty: a self-signed certificate for the domain
   *     is generated once under {@code generatedDir}
   * @param privateKey operator's PEM private key, with {@code certificateChain}
   * @param generatedDir where a generated certificate is kept
   * @param provider the TLS implementation
   */
  public record Tls(Optional<Path> certificateChain, Optional<Path> privateKey, Path generatedDir,
      TlsProvider provider) {

    /** Which TLS implementation the client listeners use. */
    public enum TlsProvider {
      /** BoringSSL through netty-tcnative: least memory per connection, fastest handshakes. */
      OPENSSL,
      /** Bouncy Castle's JSSE: adds tls-unique channel binding on TLS 1.2. */
      JDK
    }

    public Tls {
      requireNonNull(provider, "provider");
      requireNonNull(certificateChain, "certificateChain");
      requireNonNull(privateKey, "privateKey");
      requireNonNull(generatedDir, "generatedDir");
      if (certificateChain.isPresent() != privateKey.isPresent()) {
        throw new IllegalArgumentException(
            "xmpp.tls: set both certificateChain and privateKey, or neither");
      }
    }
  }

  /**
   * @param maxStanzaBytes a bigger stanza closes the stream with policy-violation
   * @param maxDepth deeper nesting closes the stream with policy-violation
   * @param maxAttributes more attributes on one element close the stream with policy-violation
   * @param preAuthTimeout a connection not authenticated by then gets connection-timeout
   * @param connectionRatePerIp new connections one address may open per second once its burst
   *     is spent; more are refused with policy-violation
   * @param connectionBurstPerIp new connections one address may open at once (a token bucket
   *     with {@code connectionRatePerIp}): a reconnect wave of many users behind one address
   * @param bytesPerSecond a client sending faster is slowed by TCP flow control
   * @param burstBytes how much a client may send at once above its rate
   * @param floodTolerance a client kept throttled this long gets policy-violation
   * @param maxStanzasInFlight with this many stanzas of one client received and not yet handled
   *     (messages not yet stored, and what waits behind them, RFC 6120 §10.1), its connection is
   *     not read until half of them are
   * @param registrationsPerIpPerHour in-band registrations one address may make at once, and
   *     then per hour; more get resource-constraint
   * @param registrationsPerSecond in-band registrations one edge takes per second from all
   *     addresses together (ten seconds' worth at once); more get resource-constraint
   */
  public record Limits(int maxStanzaBytes, int maxDepth, int maxAttributes,
      Duration preAuthTimeout, int connectionRatePerIp, int connectionBurstPerIp,
      long bytesPerSecond, long burstBytes, Duration floodTolerance, int maxStanzasInFlight,
      int registrationsPerIpPerHour, int registrationsPerSecond) {

    /** The default of {@code maxStanzasInFlight}. */
    public static final int DEFAULT_MAX_STANZAS_IN_FLIGHT = 256;
    /** The defaults of {@code connectionRatePerIp} and {@code connectionBurstPerIp}. */
    public static final int DEFAULT_CONNECTION_RATE_PER_IP = 50;
    public static final int DEFAULT_CONNECTION_BURST_PER_IP = 1000;
    /** The defaults of {@code registrationsPerIpPerHour} and {@code registrationsPerSecond}. */
    public static final int DEFAULT_REGISTRATIONS_PER_IP_PER_HOUR = 10;
    public static final int DEFAULT_REGISTRATIONS_PER_SECOND = 10;

    public Limits {
      requireNonNull(preAuthTimeout, "preAuthTimeout");
      requireNonNull(floodTolerance, "floodTolerance");
      if (bytesPerSecond < 1) {
        throw new IllegalArgumentException("xmpp.limits.rate: must be positive");
      }
      if (burstBytes < maxStanzaBytes) {
        throw new IllegalArgumentException("xmpp.limits.burst: at least maxStanzaSize, so one "
            + "stanza of the largest allowed size is never throttled halfway");
      }
      if (maxStanzaBytes < 1024) {
        throw new IllegalArgumentException("xmpp.limits.maxStanzaSize: at least 1 KiB");
      }
      if (maxDepth < 4) {
        throw new IllegalArgumentException("xmpp.limits.maxDepth: at least 4");
      }
      if (maxAttributes < 4) {
        throw new IllegalArgumentException("xmpp.limits.maxAttributes: at least 4");
      }
      if (preAuthTimeout.isZero() || preAuthTimeout.isNegative()) {
        throw new IllegalArgumentException("xmpp.limits.preAuthTimeout: must be positive");
      }
      if (connectionRatePerIp < 1) {
        throw new IllegalArgumentException("xmpp.limits.connectionRatePerIp: at least 1");
      }
      if (connectionBurstPerIp < connectionRatePerIp) {
        throw new IllegalArgumentException(
            "xmpp.limits.connectionBurstPerIp: at least connectionRatePerIp");
      }
      if (maxStanzasInFlight < 1) {
        throw new IllegalArgumentException("xmpp.limits.maxStanzasInFlight: at least 1");
      }
      if (registrationsPerIpPerHour < 1) {
        throw new IllegalArgumentException("xmpp.limits.registrationsPerIpPerHour: at least 1");
      }
      if (registrationsPerSecond < 1) {
        throw new IllegalArgumentException("xmpp.limits.registrationsPerSecond: at least 1");
      }
    }

    /** With {@link #DEFAULT_MAX_STANZAS_IN_FLIGHT} and the default registration rates. */
    public Limits(int maxStanzaBytes, int maxDepth, int maxAttributes, Duration preAuthTimeout,
        int connectionRatePerIp, int connectionBurstPerIp, long bytesPerSecond, long burstBytes,
        Duration floodTolerance) {
      this(maxStanzaBytes, maxDepth, maxAttributes, preAuthTimeout, connectionRatePerIp,
          connectionBurstPerIp, bytesPerSecond, burstBytes, floodTolerance,
          DEFAULT_MAX_STANZAS_IN_FLIGHT, DEFAULT_REGISTRATIONS_PER_IP_PER_HOUR,
          DEFAULT_REGISTRATIONS_PER_SECOND);
    }
  }

  public EdgeConfig {
    requireNonNull(region, "region");
    requireNonNull(domain, "domain");
    natsServers = List.copyOf(requireNonNull(natsServers, "natsServers"));
    requireNonNull(natsTimeout, "natsTimeout");
    requireNonNull(c2s, "c2s");
    requireNonNull(directTls, "directTls");
    requireNonNull(proxy, "proxy");
    requireNonNull(tls, "tls");
    requireNonNull(limits, "limits");
  }
}

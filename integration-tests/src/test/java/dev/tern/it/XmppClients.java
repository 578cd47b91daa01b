package dev.tern.it;

import dev.tern.regions.RegionConfig;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnection;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnectionConfiguration;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.websocket.XmppWebSocketTransportModuleDescriptor;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.iqregister.packet.Registration;
import org.jxmpp.jid.parts.Localpart;

/**
 * Smack clients for the tests, trusting exactly the certificate the region generated (no
 * trust-all), connecting to a region the way any XMPP client would.
 */
final class XmppClients {

  static final String DOMAIN = "localhost";
  static final String PASSWORD = "correct horse battery staple";

  private XmppClients() {}

  static RegionConfig region(String region) {
    return Regions.config(region);
  }

  /** The PEM file of the certificate the region generated at first start (its data directory). */
  static Path certificateFile(String region) {
    return TestFederation.get().federation().layout().data("tern-" + region)
        .resolve("tls").resolve(DOMAIN + ".crt.pem");
  }

  /** The certificate generated at first start under the region process's data directory. */
  static X509Certificate certificate(String region) throws Exception {
    try (InputStream in = Files.newInputStream(certificateFile(region))) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  static X509TrustManager trustManager(String region) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("tern", certificate(region));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return (X509TrustManager) tmf.getTrustManagers()[0];
  }

  static SSLContext sslContext(String region) throws Exception {
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, new javax.net.ssl.TrustManager[] {trustManager(region)}, null);
    return ssl;
  }

  /** TCP with mandatory STARTTLS; {@code mechanisms} restricts SASL to those named. */
  static XMPPTCPConnection tcp(String region, String... mechanisms) throws Exception {
    XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
        .setXmppDomain(DOMAIN)
        .setHostAddress(InetAddress.getByName(region(region).xmpp().c2s().host()))
        .setPort(region(region).xmpp().c2s().port())
        .setSecurityMode(SecurityMode.required)
        .setCustomX509TrustManager(trustManager(region))
        .setConnectTimeout(10_000);
    for (String m : mechanisms) {
      b.addEnabledSaslMechanism(m);
    }
    XMPPTCPConnection c = new XMPPTCPConnection(b.build());
    c.setReplyTimeout(10_000);
    return c;
  }

  /** Direct TLS (XEP-0368): TLS from the first byte on the region's second port. */
  static XMPPTCPConnection directTls(String region, String... mechanisms) throws Exception {
    XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
        .setXmppDomain(DOMAIN)
        .setHostAddress(InetAddress.getByName(region(region).xmpp().directTls().host()))
        .setPort(region(region).xmpp().directTls().port())
        .setSocketFactory(sslContext(region).getSocketFactory())
        // TLS is already there; Smack must not try STARTTLS on top of it.
        .setSecurityMode(SecurityMode.disabled)
        .setConnectTimeout(10_000);
    for (String m : mechanisms) {
      b.addEnabledSaslMechanism(m);
    }
    XMPPTCPConnection c = new XMPPTCPConnection(b.build());
    c.setReplyTimeout(10_000);
    return c;
  }

  /** XMPP over WebSocket (RFC 7395) at /ws on the region's HTTP port. */
  static ModularXmppClientToServerConnection webSocket(String region) throws Exception {
    RegionConfig c = region(region);
    ModularXmppClientToServerConnectionConfiguration.Builder b =
        ModularXmppClientToServerConnectionConfiguration.builder()
            .setXmppDomain(DOMAIN)
            .setSecurityMode(SecurityMode.disabled)
            .removeAllModules();
    b.addModule(XmppWebSocketTransportModuleDescriptor.getBuilder(b)
        .explicitlySetWebSocketEndpoint(URI.create(
            "ws://" + c.http().host() + ":" + c.http().port() + "/ws"))
        .build());
    ModularXmppClientToServerConnection conn = new ModularXmppClientToServerConnection(b.build());
    conn.setReplyTimeout(10_000);
    return conn;
  }

  /** Registers a fresh user in band (XEP-0077) over STARTTLS and returns its username. */
  static String registerNewUser(String region) throws Exception {
    String user = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    XMPPTCPConnection c = tcp(region);
    try {
      c.connect();
      AccountManager.getInstance(c).createAccount(Localpart.from(user), PASSWORD);
    } finally {
      c.disconnect();
    }
    return user;
  }

  /**
   * Removes the account {@code connection} is logged in to (XEP-0077 §3.2) and returns the
   * server's answer. The server closes the stream right after answering; Smack's
   * {@code AccountManager.deleteAccount} then sometimes reports the closed connection although the
   * answer had arrived first, so this reads the answer from the collector itself.
   */
  static IQ removeAccount(AbstractXMPPConnection connection) throws Exception {
    Registration remove = new Registration(Map.of("remove", ""));
    remove.setType(IQ.Type.set);
    remove.setTo(connection.getXMPPServiceDomain());
    StanzaCollector collector = connection.createStanzaCollectorAndSend(remove);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        IQ answer = collector.pollResult();
        if (answer != null) {
          return answer;
        }
        Thread.sleep(20);
      }
      throw new AssertionError("no answer to the account's removal");
    } finally {
      collector.cancel();
    }
  }

  static <C extends AbstractXMPPConnection> C login(C connection, String user) throws Exception {
    connection.connect();
    connection.login(user, PASSWORD);
    return connection;
  }

  /** Completes with the unavailable presence {@code watcher} receives from {@code fullJid}. */
  static CompletableFuture<Presence> unavailableFrom(AbstractXMPPConnection watcher,
      String fullJid) {
    CompletableFuture<Presence> gone = new CompletableFuture<>();
    watcher.addAsyncStanzaListener(stanza -> {
      if (stanza instanceof Presence p && p.getType() == Presence.Type.unavailable
          && String.valueOf(p.getFrom()).equals(fullJid)) {
        gone.complete(p);
      }
    }, StanzaTypeFilter.PRESENCE);
    return gone;
  }
}

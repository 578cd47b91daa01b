package dev.tern.bench;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jxmpp.jid.parts.Localpart;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Delivery latency inside a region and across regions, and cross-region throughput, with real
 * XMPP clients: senders connect to region-a, receivers to region-a (intra) or region-b (cross).
 * Latency is from the sender's {@code sendStanza} to the receiver's stanza listener, both in this
 * JVM, so one clock measures both ends. Every message is persisted (Cassandra, LOCAL_QUORUM)
 * before it is delivered, so this is the latency of the durable path.
 *
 * <p>Usage: {@code DeliveryBenchmark --cert-a PEM --cert-b PEM [--pairs 20] [--rate 50]
 * [--seconds 20] [--throughput-seconds 20]}.
 */
public final class DeliveryBenchmark {

  private static final String DOMAIN = "localhost";
  private static final String PASSWORD = "benchmark password";

  private record Endpoint(String host, int port, X509TrustManager trust) {}

  public static void main(String[] args) throws Exception {
    Path certA = Path.of(arg(args, "--cert-a", "var/data/tern-region-a/tls/localhost.crt.pem"));
    Path certB = Path.of(arg(args, "--cert-b", "var/data/tern-region-b/tls/localhost.crt.pem"));
    int pairs = Integer.parseInt(arg(args, "--pairs", "20"));
    int rate = Integer.parseInt(arg(args, "--rate", "50"));
    int seconds = Integer.parseInt(arg(args, "--seconds", "20"));
    int throughputSeconds = Integer.parseInt(arg(args, "--throughput-seconds", "20"));
    Endpoint a = new Endpoint("127.0.0.1", 5222, trust(certA));
    Endpoint b = new Endpoint("127.0.0.1", 6222, trust(certB));

    System.out.printf(Locale.ROOT, "delivery benchmark: %d sender/receiver pairs, %d msg/s paced"
        + " for %d s per case, then %d s unpaced across regions%n", pairs, rate, seconds,
        throughputSeconds);
    latency("intra-region (a -> a)", a, a, pairs, rate, seconds);
    latency("cross-region (a -> b)", a, b, pairs, rate, seconds);
    if (throughputSeconds > 0) {
      throughput(a, b, pairs, throughputSeconds);
    }
    System.exit(0);
  }

  private static void latency(String name, Endpoint from, Endpoint to, int pairs, int rate,
      int seconds) throws Exception {
    Pairs p = Pairs.connect(from, to, pairs);
    try {
      int total = rate * seconds;
      long[] latencies = new long[total];
      AtomicLong received = new AtomicLong();
      CountDownLatch done = new CountDownLatch(total);
      p.onReceive((index, sentNanos) -> {
        long i = received.getAndIncrement();
        if (i < total) {
          latencies[(int) i] = System.nanoTime() - sentNanos;
        }
        done.countDown();
      });
      warmUp(p);
      long interval = TimeUnit.SECONDS.toNanos(1) / rate;
      long start = System.nanoTime();
      for (int i = 0; i < total; i++) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        p.send(i % pairs);
      }
      if (!done.await(120, TimeUnit.SECONDS)) {
        System.out.printf("%s: only %d of %d delivered within 120 s%n", name, received.get(), total);
      }
      int n = (int) Math.min(received.get(), total);
      long[] got = Arrays.copyOf(latencies, n);
      Arrays.sort(got);
      System.out.printf(Locale.ROOT, "%-22s %6d msgs  p50 %6.1f ms  p90 %6.1f ms  p99 %6.1f ms"
          + "  max %6.1f ms%n", name, n, ms(got, 0.50), ms(got, 0.90), ms(got, 0.99),
          got.length == 0 ? 0 : got[got.length - 1] / 1e6);
    } finally {
      p.close();
    }
  }

  private static void throughput(Endpoint from, Endpoint to, int pairs, int seconds)
      throws Exception {
    Pairs p = Pairs.connect(from, to, pairs);
    try {
      AtomicLong received = new AtomicLong();
      p.onReceive((index, sent) -> received.incrementAndGet());
      warmUp(p);
      long before = received.get();
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      List<Thread> senders = new ArrayList<>();
      AtomicLong sent = new AtomicLong();
      for (int s = 0; s < pairs; s++) {
        int pair = s;
        Thread t = new Thread(() -> {
          while (System.nanoTime() < end) {
            try {
              p.send(pair);
              sent.incrementAndGet();
            } catch (Exception e) {
              return;
            }
          }
        });
        t.start();
        senders.add(t);
      }
      for (Thread t : senders) {
        t.join();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (received.get() - before < sent.get() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      double took = (System.nanoTime() - start) / 1e9;
      long got = received.get() - before;
      System.out.printf(Locale.ROOT, "cross-region throughput: %d sent, %d delivered in %.1f s"
          + " = %.0f msg/s delivered (persisted, then relayed over the gateway)%n",
          sent.get(), got, took, got / took);
    } finally {
      p.close();
    }
  }

  private static void warmUp(Pairs p) throws Exception {
    for (int i = 0; i < p.size(); i++) {
      p.send(i);
    }
    Thread.sleep(2000);
  }

  private static double ms(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
  }

  private interface Receiver {
    void received(int pair, long sentNanos);
  }

  /** Connected sender/receiver pairs, each pair a chat of its own. */
  private static final class Pairs implements AutoCloseable {
    private final List<XMPPTCPConnection> senders;
    private final List<XMPPTCPConnection> receivers;
    private final List<String> receiverNames;
    private volatile Receiver receiver = (i, s) -> { };
    private final AtomicLongArray counters;

    private Pairs(List<XMPPTCPConnection> senders, List<XMPPTCPConnection> receivers,
        List<String> receiverNames, int n) {
      this.senders = senders;
      this.receivers = receivers;
      this.receiverNames = receiverNames;
      this.counters = new AtomicLongArray(n);
    }

    static Pairs connect(Endpoint from, Endpoint to, int n) throws Exception {
      List<XMPPTCPConnection> senders = new ArrayList<>();
      List<XMPPTCPConnection> receivers = new ArrayList<>();
      List<String> names = new ArrayList<>();
      Pairs p = new Pairs(senders, receivers, names, n);
      for (int i = 0; i < n; i++) {
        String s = register(from);
        String r = register(to);
        senders.add(login(from, s));
        XMPPTCPConnection rc = connection(to);
        int pair = i;
        rc.addSyncStanzaListener(st -> {
          Message m = (Message) st;
          String body = m.getBody();
          if (body != null && body.startsWith("t=")) {
            p.receiver.received(pair, Long.parseLong(body.substring(2, body.indexOf(' '))));
          }
        }, StanzaTypeFilter.MESSAGE);
        rc.connect();
        rc.login(r, PASSWORD);
        receivers.add(rc);
        names.add(r);
      }
      return p;
    }

    int size() {
      return senders.size();
    }

    void onReceive(Receiver r) {
      this.receiver = r;
    }

    void send(int pair) throws Exception {
      XMPPTCPConnection c = senders.get(pair);
      long n = counters.incrementAndGet(pair);
      c.sendStanza(c.getStanzaFactory().buildMessageStanza()
          .to(JidCreate.entityBareFrom(receiverNames.get(pair) + "@" + DOMAIN))
          .ofType(Message.Type.chat).setBody("t=" + System.nanoTime() + " #" + n).build());
    }

    @Override
    public void close() {
      senders.forEach(XMPPTCPConnection::disconnect);
      receivers.forEach(XMPPTCPConnection::disconnect);
    }
  }

  private static String register(Endpoint e) throws Exception {
    String user = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    XMPPTCPConnection c = connection(e);
    try {
      c.connect();
      AccountManager.getInstance(c).createAccount(Localpart.from(user), PASSWORD);
    } finally {
      c.disconnect();
    }
    return user;
  }

  private static XMPPTCPConnection login(Endpoint e, String user) throws Exception {
    XMPPTCPConnection c = connection(e);
    c.connect();
    c.login(user, PASSWORD);
    return c;
  }

  private static XMPPTCPConnection connection(Endpoint e) throws Exception {
    XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
        .setXmppDomain(DOMAIN)
        .setHostAddress(InetAddress.getByName(e.host()))
        .setPort(e.port())
        .setSecurityMode(SecurityMode.required)
        .setCustomX509TrustManager(e.trust())
        .setConnectTimeout(10_000)
        .build());
    c.setReplyTimeout(30_000);
    return c;
  }

  private static X509TrustManager trust(Path pem) throws Exception {
    X509Certificate cert;
    try (InputStream in = Files.newInputStream(pem)) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("tern", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return (X509TrustManager) tmf.getTrustManagers()[0];
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}

package dev.tern.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.tern.bench.ScramClient;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A byte-level client for what Smack cannot do: it negotiates STARTTLS on the region's c2s port
 * and then lets a test drive SASL element by element.
 */
final class RawTlsSession implements AutoCloseable {

  private static final Pattern SASL_REPLY = Pattern.compile(
      "<(challenge|success|failure)[^>]*?(?:/>|>(.*?)</\\1>)", Pattern.DOTALL);

  private static final Pattern KEYING_MATERIAL =
      Pattern.compile("Keying material: ([0-9A-Fa-f]+)");

  /** The JDK's TLS socket, or null over {@code openssl s_client}. */
  private final @Nullable SSLSocket tls;
  private final InputStream in;
  private final OutputStream out;
  private final AutoCloseable closer;
  private final byte @Nullable [] tlsExporter;
  private final StringBuilder buffer = new StringBuilder();
  private String features = "";

  private RawTlsSession(SSLSocket tls) throws IOException {
    this.tls = tls;
    this.in = tls.getInputStream();
    this.out = tls.getOutputStream();
    this.closer = tls;
    this.tlsExporter = null;
  }

  private RawTlsSession(Process openssl, InputStream in, byte[] tlsExporter) {
    this.tls = null;
    this.in = in;
    this.out = openssl.getOutputStream();
    this.closer = () -> {
      openssl.destroy();
      openssl.waitFor(10, TimeUnit.SECONDS);
    };
    this.tlsExporter = tlsExporter;
  }

  /**
   * STARTTLS to {@code region} by OpenSSL's command line client ({@code openssl s_client
   * -starttls xmpp}), an implementation independent of Tern's and the JDK's, under TLS 1.3 and
   * asked to export the connection's {@code tls-exporter} channel binding (RFC 9266).
   */
  static RawTlsSession startTlsWithOpenssl(String region) throws Exception {
    var c2s = Regions.config(region).xmpp().c2s();
    Process openssl = new ProcessBuilder("openssl", "s_client",
        "-connect", c2s.host() + ":" + c2s.port(), "-starttls", "xmpp",
        "-xmpphost", XmppClients.DOMAIN, "-servername", XmppClients.DOMAIN, "-tls1_3",
        "-keymatexport", "EXPORTER-Channel-Binding", "-keymatexportlen", "32",
        "-nocommands", "-ign_eof")
        .redirectErrorStream(true)
        .start();
    InputStream in = new PolledInputStream(openssl.getInputStream());
    StringBuilder sb = new StringBuilder();
    try {
      Matcher keying = readUntil(in, sb, KEYING_MATERIAL, Duration.ofSeconds(10));
      RawTlsSession s = new RawTlsSession(openssl, in, HexFormat.of().parseHex(keying.group(1)));
      s.send(RawConnection.HEADER);
      s.features = s.await("<stream:features.*?</stream:features>");
      return s;
    } catch (IOException | RuntimeException | Error e) {
      openssl.destroy();
      throw e;
    }
  }

  static RawTlsSession startTls(String region) throws Exception {
    var c2s = Regions.config(region).xmpp().c2s();
    return startTls(region, c2s.host(), c2s.port());
  }

  /** STARTTLS on another edge process of {@code region} (its certificate is the region's). */
  static RawTlsSession startTls(String region, String host, int port) throws Exception {
    return startTls(region, host, port, 0);
  }

  /**
   * STARTTLS to {@code region} with a socket receive buffer of {@code receiveBuffer} bytes (0:
   * the system's): a small one makes a client that stops reading fill the server's side soon.
   */
  static RawTlsSession startTls(String region, int receiveBuffer) throws Exception {
    var c2s = Regions.config(region).xmpp().c2s();
    return startTls(region, c2s.host(), c2s.port(), receiveBuffer);
  }

  private static RawTlsSession startTls(String region, String host, int port, int receiveBuffer)
      throws Exception {
    var c2s = new java.net.InetSocketAddress(host, port);
    Socket plain = new Socket();
    if (receiveBuffer > 0) {
      plain.setReceiveBufferSize(receiveBuffer); // before connecting: it sets the TCP window
    }
    plain.connect(c2s, 5000);
    plain.setSoTimeout(500);
    StringBuilder sb = new StringBuilder();
    write(plain, RawConnection.HEADER);
    readUntil(plain.getInputStream(), sb, Pattern.compile("</stream:features>"), Duration.ofSeconds(10));
    write(plain, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    readUntil(plain.getInputStream(), sb, Pattern.compile("<proceed"), Duration.ofSeconds(10));
    SSLSocket tls = (SSLSocket) XmppClients.sslContext(region).getSocketFactory()
        .createSocket(plain, XmppClients.DOMAIN, port, true);
    tls.startHandshake();
    RawTlsSession s = new RawTlsSession(tls);
    write(tls, RawConnection.HEADER);
    Matcher m = readUntil(tls.getInputStream(), s.buffer,
        Pattern.compile("<stream:features.*?</stream:features>", Pattern.DOTALL), Duration.ofSeconds(10));
    s.features = m.group();
    s.buffer.setLength(0);
    return s;
  }

  String features() {
    return features;
  }

  /** The {@code tls-exporter} binding OpenSSL exported; only over {@link #startTlsWithOpenssl}. */
  byte[] tlsExporter() {
    if (tlsExporter == null) {
      throw new IllegalStateException("the JDK's TLS has no exporter; use startTlsWithOpenssl");
    }
    return tlsExporter.clone();
  }

  /** RFC 5929 §4.1 for the server's certificate (signed with SHA-256: hashed with SHA-256). */
  byte[] tlsServerEndPoint() throws Exception {
    if (tls == null) {
      throw new IllegalStateException("no certificate kept over openssl s_client");
    }
    X509Certificate cert = (X509Certificate) tls.getSession().getPeerCertificates()[0];
    return MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
  }

  /** A SASL reply: its element name and its base64-decoded text (or the failure's XML). */
  record Reply(String element, String text) {}

  Reply auth(String mechanism, String initial) throws Exception {
    send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='" + mechanism + "'>"
        + Base64.getEncoder().encodeToString(initial.getBytes(StandardCharsets.UTF_8)) + "</auth>");
    return reply();
  }

  Reply respond(String response) throws Exception {
    send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
        + Base64.getEncoder().encodeToString(response.getBytes(StandardCharsets.UTF_8)) + "</response>");
    return reply();
  }

  private Reply reply() throws Exception {
    Matcher m = readUntil(in, buffer, SASL_REPLY, Duration.ofSeconds(10));
    String element = m.group(1);
    String body = m.group(2) == null ? "" : m.group(2);
    buffer.delete(0, m.end());
    if (element.equals("failure")) {
      return new Reply(element, body);
    }
    String text = body.isBlank() || body.equals("=") ? ""
        : new String(Base64.getDecoder().decode(body.strip()), StandardCharsets.UTF_8);
    return new Reply(element, text);
  }

  /** SCRAM-SHA-256 as {@code user}, then the stream restart; returns the new features. */
  String login(String user, String password) throws Exception {
    ScramClient scram = new ScramClient("SHA-256", user, password, null, new byte[0], null);
    Reply first = auth("SCRAM-SHA-256", scram.clientFirst());
    Reply last = respond(scram.clientFinal(first.text()));
    if (!last.element().equals("success")) {
      throw new AssertionError("login failed: " + last.text());
    }
    send(RawConnection.HEADER);
    return await("<stream:features.*?</stream:features>");
  }

  /** The decrypted stream from the server, for a test that reads it its own way. */
  InputStream in() throws IOException {
    return in;
  }

  /** What was read past the last {@link #await} match. */
  String pending() {
    return buffer.toString();
  }

  void send(String xml) throws IOException {
    out.write(xml.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Waits for {@code regex} in what the server sends, and consumes up to its end. */
  String await(String regex) throws IOException {
    Matcher m = readUntil(in, buffer, Pattern.compile(regex, Pattern.DOTALL),
        Duration.ofSeconds(10));
    String found = m.group();
    buffer.delete(0, m.end());
    return found;
  }

  private static void write(Socket socket, String xml) throws IOException {
    socket.getOutputStream().write(xml.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  private static Matcher readUntil(InputStream in, StringBuilder sb, Pattern pattern, Duration max)
      throws IOException {
    long deadline = System.nanoTime() + max.toNanos();
    byte[] buf = new byte[4096];
    while (true) {
      Matcher m = pattern.matcher(sb);
      if (m.find()) {
        return m;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + pattern + " from the server; it sent: " + sb);
      }
      try {
        int n = in.read(buf);
        if (n < 0) {
          throw new AssertionError("the server closed the connection; it sent: " + sb);
        }
        sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      } catch (SocketTimeoutException e) {
        // keep waiting
      }
    }
  }

  @Override
  public void close() throws Exception {
    closer.close();
  }

  /**
   * A process's output read by its own thread, so that a read can time out the way a socket's
   * does ({@link SocketTimeoutException} after 500 ms without data).
   */
  private static final class PolledInputStream extends InputStream {
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte @Nullable [] current;
    private int position;

    PolledInputStream(InputStream source) {
      Thread pump = new Thread(() -> {
        byte[] buf = new byte[4096];
        try {
          for (int n = source.read(buf); n >= 0; n = source.read(buf)) {
            chunks.add(Arrays.copyOf(buf, n));
          }
        } catch (IOException e) {
          // the process ended
        }
        chunks.add(END);
      }, "openssl-output");
      pump.setDaemon(true);
      pump.start();
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (current == null || position == current.length) {
        try {
          current = chunks.poll(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
        position = 0;
        if (current == null) {
          throw new SocketTimeoutException("no output for 500 ms");
        }
        if (current == END) {
          chunks.add(END);
          return -1;
        }
      }
      int n = Math.min(len, current.length - position);
      System.arraycopy(current, position, b, off, n);
      position += n;
      return n;
    }
  }
}

package dev.tern.edge.bytestreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.xmpp.jid.Jid;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy's SOCKS5 side over real sockets (RFC 1928 as XEP-0065 §6.3.2 profiles it). */
class Socks5ProxyTest {

  private static final String HASH = ProxyService.hash("sid-1",
      Jid.of("alice", "localhost", "phone"), Jid.of("bob", "localhost", "laptop"));

  private final Bytestreams bytestreams = new Bytestreams(Duration.ofMinutes(1), 10);
  private final Socks5Proxy proxy = start();

  private Socks5Proxy start() {
    try {
      return Socks5Proxy.start(new InetSocketAddress("127.0.0.1", 0), bytestreams);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    proxy.close();
  }

  /** Connects and sends the CONNECT for {@code hash}; returns the reply's status byte. */
  private Socket connect(String hash, int[] status) throws IOException {
    Socket socket = new Socket();
    socket.connect(proxy.address(), 5_000);
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    out.write(new byte[] {5, 1, 0}); // version 5, one method: no authentication
    out.flush();
    byte[] method = new byte[2];
    in.readFully(method);
    assertThat(method).containsExactly(5, 0);
    byte[] name = hash.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[7 + name.length];
    request[0] = 5; // version
    request[1] = 1; // CONNECT
    request[3] = 3; // a domain name
    request[4] = (byte) name.length;
    System.arraycopy(name, 0, request, 5, name.length); // port 0 follows
    out.write(request);
    out.flush();
    byte[] head = new byte[4];
    in.readFully(head);
    status[0] = head[1];
    if (head[1] == 0) {
      assertThat(head[3]).as("a domain name").isEqualTo((byte) 3);
      byte[] addr = new byte[in.readUnsignedByte() + 2];
      in.readFully(addr);
      assertThat(new String(addr, 0, addr.length - 2, StandardCharsets.US_ASCII)).isEqualTo(hash);
    }
    return socket;
  }

  private Socket connect(String hash) throws IOException {
    int[] status = new int[1];
    Socket socket = connect(hash, status);
    assertThat(status[0]).as("SOCKS5 reply status").isZero();
    return socket;
  }

  @Test
  void theHashIsTheSha1OfSidInitiatorAndTarget() throws Exception {
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
        .digest("sid-1alice@localhost/phonebob@localhost/laptop".getBytes(StandardCharsets.UTF_8)));
    assertThat(HASH).isEqualTo(expected);
  }

  @Test
  void anActivatedBytestreamRelaysBothWaysWhatWasSentBeforeToo() throws Exception {
    try (Socket target = connect(HASH); Socket initiator = connect(HASH)) {
      // Sent before activation: kept (XEP-0065 §6.3.5), not dropped.
      initiator.getOutputStream().write("early ".getBytes(StandardCharsets.US_ASCII));
      initiator.getOutputStream().flush();

      assertThat(bytestreams.activate(HASH)).isEqualTo(Bytestreams.Activation.ACTIVATED);
      initiator.getOutputStream().write("bytes".getBytes(StandardCharsets.US_ASCII));
      initiator.getOutputStream().flush();
      assertThat(read(target.getInputStream(), 11)).isEqualTo("early bytes");
      target.getOutputStream().write("back".getBytes(StandardCharsets.US_ASCII));
      target.getOutputStream().flush();
      assertThat(read(initiator.getInputStream(), 4)).isEqualTo("back");
      assertThat(bytestreams.activate(HASH)).isEqualTo(Bytestreams.Activation.ALREADY);
    }
  }

  @Test
  void manyMegabytesGoThroughIntactWhileTheReaderIsSlower() throws Exception {
    byte[] file = new byte[16 << 20];
    new Random(7).nextBytes(file);
    try (Socket target = connect(HASH); Socket initiator = connect(HASH)) {
      bytestreams.activate(HASH);
      CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
        try {
          OutputStream out = initiator.getOutputStream();
          for (int at = 0; at < file.length; at += 64 << 10) {
            out.write(file, at, Math.min(64 << 10, file.length - at));
          }
          initiator.shutdownOutput();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      byte[] received = target.getInputStream().readAllBytes(); // ends when the initiator closes
      sending.join();
      assertThat(received.length).isEqualTo(file.length);
      assertThat(Arrays.equals(received, file)).isTrue();
    }
  }

  @Test
  void aThirdConnectionWithTheSameHashIsRefused() throws Exception {
    try (Socket target = connect(HASH); Socket initiator = connect(HASH)) {
      int[] status = new int[1];
      try (Socket third = connect(HASH, status)) {
        assertThat(status[0]).as("connection not allowed by ruleset").isEqualTo(2);
      }
    }
  }

  @Test
  void activationNeedsBothSides() throws Exception {
    assertThat(bytestreams.activate(HASH)).isEqualTo(Bytestreams.Activation.NONE);
    try (Socket target = connect(HASH)) {
      assertThat(bytestreams.activate(HASH)).isEqualTo(Bytestreams.Activation.TARGET_ONLY);
    }
  }

  @Test
  void whenOneSideClosesTheOtherIsClosedAndTheBytestreamForgotten() throws Exception {
    try (Socket target = connect(HASH); Socket initiator = connect(HASH)) {
      bytestreams.activate(HASH);
      initiator.close();
      assertThat(target.getInputStream().read()).as("end of stream").isEqualTo(-1);
      await().atMost(Duration.ofSeconds(5)).until(() -> bytestreams.size() == 0);
    }
  }

  @Test
  void somethingElseThanAHashIsRefused() throws Exception {
    int[] status = new int[1];
    try (Socket socket = connect("example.org", status)) {
      assertThat(status[0]).as("command not supported").isEqualTo(7);
    }
  }

  private static String read(InputStream in, int n) throws IOException {
    return new String(new DataInputStream(in).readNBytes(n), StandardCharsets.US_ASCII);
  }
}

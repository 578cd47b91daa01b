package dev.tern.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A plain TCP connection to a region's c2s port that sends exactly the bytes a test gives it. */
final class RawConnection implements AutoCloseable {

  static final String HEADER = "<?xml version='1.0'?><stream:stream to='localhost' version='1.0' "
      + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

  private final Socket socket;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  RawConnection(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(1_000);
  }

  static RawConnection toRegionA() throws IOException {
    return to("region-a");
  }

  static RawConnection to(String region) throws IOException {
    var c2s = Regions.config(region).xmpp().c2s();
    return new RawConnection(c2s.host(), c2s.port());
  }

  /** Sends bytes; a server that already closed may reset the connection, which is fine. */
  RawConnection send(byte[] bytes) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      // the server closed the stream mid-way: what it said before is what the test checks
    }
    return this;
  }

  RawConnection send(String text) {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Everything the server sends until it closes the connection, or {@code max} elapses. */
  String readUntilClosed(Duration max) throws IOException {
    long deadline = System.nanoTime() + max.toNanos();
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    while (System.nanoTime() < deadline) {
      try {
        int n = in.read(buf);
        if (n < 0) {
          return received();
        }
        received.write(buf, 0, n);
      } catch (SocketTimeoutException e) {
        // keep waiting
      } catch (SocketException e) {
        return received(); // reset after the server closed
      }
    }
    throw new AssertionError("the server did not close the connection within " + max
        + "; it sent: " + received());
  }

  /** Reads until what the server sent contains {@code marker}; fails after {@code max}. */
  RawConnection readUntil(String marker, Duration max) throws IOException {
    long deadline = System.nanoTime() + max.toNanos();
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    while (!received().contains(marker)) {
      if (System.nanoTime() >= deadline) {
        throw new AssertionError("no " + marker + " within " + max + "; got: " + received());
      }
      try {
        int n = in.read(buf);
        if (n < 0) {
          throw new AssertionError("closed before " + marker + "; got: " + received());
        }
        received.write(buf, 0, n);
      } catch (SocketTimeoutException e) {
        // keep waiting
      }
    }
    return this;
  }

  String received() {
    return received.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

package dev.tern.it;

import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A recipient that stops reading its socket does not make the edge buffer without bound: past
 * the channel's high-water mark, stored messages are left to the unread queue, and when the
 * client reads again everything arrives, in order.
 */
@Order(26)
@ExtendWith(TestFederation.class)
class SlowReaderTest {

  private static final Pattern BODY = Pattern.compile("<body>slow (\\d+) x+</body>");

  @Test
  void messagesForAClientThatStoppedReadingWaitInTheQueueAndArriveInOrderWhenItReads()
      throws Exception {
    String alice = XmppClients.registerNewUser("region-a");
    String bob = XmppClients.registerNewUser("region-a");
    // 400 × 1 KB: within the sender's burst allowance, and far past what a 4 KB receive window
    // and the edge's 64 KB high-water mark hold.
    int n = 400;
    String padding = "x".repeat(1000);
    double leftBefore = leftToQueue();

    try (RawTlsSession b = RawTlsSession.startTls("region-a", 4096)) {
      b.login(bob, XmppClients.PASSWORD);
      b.send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
      b.await("<iq[^>]*id='bind'.*?</iq>");
      // Bob now reads nothing while Alice writes.
      XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
      AtomicInteger acked = new AtomicInteger();
      a.addStanzaAcknowledgedListener(s -> acked.incrementAndGet());
      try {
        for (int i = 1; i <= n; i++) {
          a.sendStanza(a.getStanzaFactory().buildMessageStanza()
              .to(JidCreate.entityBareFrom(bob + "@localhost")).ofType(Message.Type.chat)
              .setBody("slow " + i + " " + padding).build());
        }
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
          a.requestSmAcknowledgement();
          assertThat(acked.get()).isGreaterThanOrEqualTo(n);
        });
      } finally {
        a.disconnect();
      }
      assertThat(leftToQueue()).as("messages left to the unread queue").isGreaterThan(leftBefore);

      // Bob reads again: every message arrives, none out of order (repeats are allowed).
      List<Integer> got = readBodies(b, n);
      assertThat(got).isSorted();
      assertThat(got.stream().distinct().count()).isEqualTo(n);
    }
  }

  private static List<Integer> readBodies(RawTlsSession b, int n) throws Exception {
    List<Integer> got = new ArrayList<>();
    StringBuilder sb = new StringBuilder(b.pending());
    InputStream in = b.in();
    byte[] buf = new byte[64 * 1024];
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    int last = 0;
    while (last < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("got " + got.size() + " of " + n + " messages, last " + last);
      }
      try {
        int r = in.read(buf);
        if (r < 0) {
          throw new AssertionError("closed after " + got.size() + " messages");
        }
        sb.append(new String(buf, 0, r, StandardCharsets.UTF_8));
      } catch (SocketTimeoutException e) {
        continue;
      }
      Matcher m = BODY.matcher(sb);
      int consumed = 0;
      while (m.find()) {
        int i = Integer.parseInt(m.group(1));
        if (i != last) { // the same message twice in a row is a repeat, allowed
          got.add(i);
          last = Math.max(last, i);
        }
        consumed = m.end();
      }
      sb.delete(0, consumed);
    }
    return got;
  }

  private static double leftToQueue() throws Exception {
    var http = Regions.config("region-a").http();
    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://" + http.host() + ":" + http.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double total = 0;
    for (String line : metrics.lines().toList()) {
      if (line.startsWith("tern_edge_deliveries_left_to_queue_total")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}

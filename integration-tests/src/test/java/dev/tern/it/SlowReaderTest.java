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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

  private static final Pattern BODY = Pattern.compile("<body>slow (\\d+) (\\d+) x+</body>");
  private static final int SENDERS = 10;
  private static final int EACH = 150;

  @Test
  void messagesForAClientThatStoppedReadingWaitInTheQueueAndArriveInOrderWhenItReads()
      throws Exception {
    String bob = XmppClients.registerNewUser("region-a");
    List<String> senders = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      senders.add(XmppClients.registerNewUser("region-a"));
    }
    // 10 × 150 × 4 KB = 6 MB: more than the server's socket buffer can grow to (4 MB here) plus
    // the edge's 64 KB high-water mark, while each sender stays within its burst allowance.
    String padding = "x".repeat(4000);
    double leftBefore = leftToQueue();

    try (RawTlsSession b = RawTlsSession.startTls("region-a", 4096)) {
      b.login(bob, XmppClients.PASSWORD);
      b.send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
      b.await("<iq[^>]*id='bind'.*?</iq>");
      // Bob now reads nothing while the others write.
      List<CompletableFuture<Void>> sending = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        String sender = senders.get(s);
        int index = s;
        sending.add(CompletableFuture.runAsync(() -> sendAll(sender, index, bob, padding)));
      }
      CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
      assertThat(leftToQueue()).as("messages left to the unread queue").isGreaterThan(leftBefore);

      // Bob reads again: every message arrives, each sender's in the order sent (a repeat of
      // one already received is allowed: delivery is at least once).
      int[] last = new int[SENDERS];
      int distinct = 0;
      StringBuilder sb = new StringBuilder(b.pending());
      InputStream in = b.in();
      byte[] buf = new byte[64 * 1024];
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (distinct < SENDERS * EACH) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("got " + distinct + " of " + SENDERS * EACH + " messages");
        }
        try {
          int r = in.read(buf);
          if (r < 0) {
            throw new AssertionError("closed after " + distinct + " messages");
          }
          sb.append(new String(buf, 0, r, StandardCharsets.UTF_8));
        } catch (SocketTimeoutException e) {
          continue;
        }
        Matcher m = BODY.matcher(sb);
        int consumed = 0;
        while (m.find()) {
          int sender = Integer.parseInt(m.group(1));
          int i = Integer.parseInt(m.group(2));
          if (i > last[sender]) {
            assertThat(i).as("sender %d's next message", sender).isEqualTo(last[sender] + 1);
            last[sender] = i;
            distinct++;
          }
          consumed = m.end();
        }
        sb.delete(0, consumed);
      }
    }
  }

  private static void sendAll(String sender, int index, String bob, String padding) {
    try {
      XMPPTCPConnection a = login(XmppClients.tcp("region-a"), sender);
      AtomicInteger acked = new AtomicInteger();
      a.addStanzaAcknowledgedListener(s -> acked.incrementAndGet());
      try {
        for (int i = 1; i <= EACH; i++) {
          a.sendStanza(a.getStanzaFactory().buildMessageStanza()
              .to(JidCreate.entityBareFrom(bob + "@localhost")).ofType(Message.Type.chat)
              .setBody("slow " + index + " " + i + " " + padding).build());
        }
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
          a.requestSmAcknowledgement();
          assertThat(acked.get()).isGreaterThanOrEqualTo(EACH);
        });
      } finally {
        a.disconnect();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
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

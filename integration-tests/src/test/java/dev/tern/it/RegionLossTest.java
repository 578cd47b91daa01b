package dev.tern.it;

import static dev.tern.it.Inboxes.inbox;
import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.regions.launcher.Federation;
import dev.tern.regions.launcher.Processes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.sid.element.OriginIdElement;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Regions survive each other: region-b's Cassandra datacenter (its only node) is killed while
 * users chat. Chats homed in region-a go on untouched; chats homed in region-b move to
 * region-a's router once their leases lapse; when region-b's node is back, nothing acknowledged
 * is missing from region-b's copy either.
 */
@Order(28)
@ExtendWith(TestFederation.class)
class RegionLossTest {

  /** Lease (10 s) + a lease of silence + a lease round, with slack for this busy machine. */
  private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(45);

  @Test
  void whenRegionBsCassandraDiesRegionAsChatsGoOnAndRegionBsChatsMoveToRegionA()
      throws Exception {
    Federation federation = TestFederation.get().federation();
    String alice = XmppClients.registerNewUser("region-a");
    String carol = XmppClients.registerNewUser("region-a");
    String bob = XmppClients.registerNewUser("region-b");
    XMPPTCPConnection a = XmppClients.tcp("region-a");
    BlockingQueue<Message> alices = inbox(a);
    login(a, alice);
    XMPPTCPConnection c = XmppClients.tcp("region-a");
    BlockingQueue<Message> carols = inbox(c);
    login(c, carol);
    XMPPTCPConnection b = XmppClients.tcp("region-b");
    BlockingQueue<Message> bobs = inbox(b);
    login(b, bob);
    Set<String> refused = ConcurrentHashMap.newKeySet();
    a.addSyncStanzaListener(s -> refused.add(s.getStanzaId()), s -> s instanceof Message m
        && m.getType() == Message.Type.error);
    List<String> toBob = new ArrayList<>();
    try {
      // Homes: Alice–Carol in region-a (Alice writes first, from region-a); Alice–Bob in
      // region-b (Bob writes first, from region-b).
      send(a, carol, "a-home 0");
      assertThat(next(carols)).isEqualTo("a-home 0");
      send(b, alice, "b-home 0");
      assertThat(next(alices)).isEqualTo("b-home 0");

      Instant killed = Instant.now();
      Processes.running(federation.layout(), "cassandra-region-b").orElseThrow()
          .destroyForcibly();

      // Region-a's own chat goes on: nothing refused, everything delivered in order.
      List<String> ids = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        ids.add(send(a, carol, "a-home " + i));
        Thread.sleep(100);
      }
      for (int i = 1; i <= 20; i++) {
        assertThat(next(carols)).isEqualTo("a-home " + i);
      }
      assertThat(refused).doesNotContainAnyElementsOf(ids);

      // The chat homed in region-b: Alice tries once a second until a message is stored,
      // which shows as its delivery to Bob (the sequencer publishes only what it stored).
      Instant movedAt = null;
      for (int i = 1; movedAt == null; i++) {
        assertThat(Duration.between(killed, Instant.now()))
            .as("region-b's chats numbered in region-a within the bound").isLessThan(TAKEOVER_BOUND);
        String body = "b-home try " + i;
        send(a, bob, body);
        Message got = bobs.poll(1, TimeUnit.SECONDS);
        while (got != null) {
          if (got.getBody() != null) {
            toBob.add(got.getBody());
            movedAt = Instant.now();
          }
          got = bobs.poll(200, TimeUnit.MILLISECONDS);
        }
      }
      Duration takeover = Duration.between(killed, movedAt);
      System.out.printf("RegionLossTest: region-b's chats were numbered in region-a %.1f s after"
          + " its Cassandra died%n", takeover.toMillis() / 1000.0);
      for (int i = 1; i <= 10; i++) {
        send(a, bob, "b-home after " + i);
      }
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        for (Message m; (m = bobs.poll()) != null; ) {
          if (m.getBody() != null) {
            toBob.add(m.getBody());
          }
        }
        assertThat(toBob).endsWith(expected("b-home after ", 10).toArray(String[]::new));
      });
    } finally {
      federation.restartMember("cassandra-region-b");
    }

    // Region-b is back: what was acknowledged while it was away is in its copy too, in the
    // chat's order (Bob's archive, read through region-b).
    try {
      // Logins are refused (temporary-auth-failure) until its Cassandra node answers again.
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
          .ignoreExceptions().untilAsserted(() -> {
            XMPPTCPConnection elsewhere = login(XmppClients.tcp("region-b"), bob);
            try {
              List<String> history = history(elsewhere, alice);
              assertThat(history).startsWith("b-home 0");
              assertThat(history).containsSubsequence(toBob);
            } finally {
              elsewhere.disconnect();
            }
          });
      // And region-b numbers its chats again: Bob's next message is stored and reaches Alice.
      alices.clear();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        send(b, alice, "b-home back");
        assertThat(alices.poll(2, TimeUnit.SECONDS)).isNotNull();
      });
    } finally {
      a.disconnect();
      b.disconnect();
      c.disconnect();
    }
  }

  private static String send(XMPPTCPConnection from, String to, String body) throws Exception {
    Message m = from.getStanzaFactory().buildMessageStanza()
        .to(JidCreate.entityBareFrom(to + "@localhost")).ofType(Message.Type.chat)
        .setBody(body).addExtension(new OriginIdElement(UUID.randomUUID().toString())).build();
    from.sendStanza(m);
    return m.getStanzaId();
  }

  private static String next(BlockingQueue<Message> inbox) throws InterruptedException {
    Message m = inbox.poll(20, TimeUnit.SECONDS);
    assertThat(m).as("a message within 20 s").isNotNull();
    return m.getBody();
  }

  private static List<String> expected(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  private static List<String> history(XMPPTCPConnection c, String with) throws Exception {
    MamManager mam = MamManager.getInstanceFor(c);
    assertThat(mam.isSupported()).isTrue(); // discovers the archive's version, as clients do
    MamManager.MamQuery q = mam.queryArchive(MamManager.MamQueryArgs.builder()
        .limitResultsToJid(JidCreate.entityBareFrom(with + "@localhost"))
        .setResultPageSize(100).build());
    List<Message> all = new ArrayList<>(q.getMessages());
    while (!q.isComplete()) {
      all.addAll(q.pageNext(100));
    }
    return all.stream().map(Message::getBody).toList();
  }
}

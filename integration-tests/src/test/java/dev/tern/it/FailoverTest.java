package dev.tern.it;

import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.regions.launcher.Federation;
import dev.tern.regions.launcher.Processes;
import dev.tern.regions.launcher.RedisCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.sid.element.OriginIdElement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.impl.JidCreate;
import redis.clients.jedis.Jedis;

/**
 * Components die during traffic: a Redis master (the cluster fails over), a NATS server of a
 * region's cluster, every Tern process of a region. No acknowledged message is lost, and each
 * chat keeps its order.
 */
@Order(27)
@ExtendWith(TestFederation.class)
class FailoverTest {

  private static final int MESSAGES = 150;
  private String alice;
  private String bob;

  @BeforeEach
  void twoUsers() throws Exception {
    alice = XmppClients.registerNewUser("region-b");
    bob = XmppClients.registerNewUser("region-b");
  }

  @Test
  void aRedisMasterKilledDuringTrafficLosesNothingAndKeepsOrder() throws Exception {
    Federation federation = TestFederation.get().federation();
    String master = aRedisMaster();
    try {
      traffic("region-a", "region-b", () -> {
        Processes.running(federation.layout(), master).orElseThrow().destroyForcibly();
        return null;
      });
    } finally {
      federation.restartMember(master); // rejoins as a replica; the cluster is whole again
    }
  }

  @Test
  void aNatsServerOfARegionKilledDuringTrafficLosesNothingAndKeepsOrder() throws Exception {
    Federation federation = TestFederation.get().federation();
    // The server region-a's edge is connected to: its sessions' subscriptions move elsewhere.
    String server = natsServerOf("region-a", "tern-edge-region-a");
    try {
      traffic("region-a", "region-b", () -> {
        Processes.running(federation.layout(), server).orElseThrow().destroyForcibly();
        return null;
      });
    } finally {
      federation.restartMember(server);
    }
  }

  /**
   * Alice in {@code from} sends to Bob in {@code to} (both online, with stream management);
   * {@code fault} strikes after a third of the messages. Every message Alice's server
   * acknowledged reaches Bob once (after dedupe by stanza-id), in the order sent.
   */
  private void traffic(String from, String to, java.util.concurrent.Callable<Void> fault)
      throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp(from), alice);
    XMPPTCPConnection b = XmppClients.tcp(to);
    BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    b.addSyncStanzaListener(s -> inbox.add((Message) s), StanzaTypeFilter.MESSAGE);
    login(b, bob);
    try {
      AtomicInteger acked = new AtomicInteger();
      a.addStanzaAcknowledgedListener(s -> {
        if (s instanceof Message) {
          acked.incrementAndGet();
        }
      });
      CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
        try {
          for (int i = 1; i <= MESSAGES; i++) {
            a.sendStanza(a.getStanzaFactory().buildMessageStanza()
                .to(JidCreate.entityBareFrom(bob + "@localhost")).ofType(Message.Type.chat)
                .setBody("during the fault " + i)
                .addExtension(new OriginIdElement("fault-" + alice + "-" + i)).build());
            if (i == MESSAGES / 3) {
              fault.call();
            }
            Thread.sleep(20);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      sending.get(3, TimeUnit.MINUTES);
      await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
        a.requestSmAcknowledgement();
        assertThat(acked.get()).isEqualTo(MESSAGES);
      });
      List<String> expected = new ArrayList<>();
      for (int i = 1; i <= MESSAGES; i++) {
        expected.add("during the fault " + i);
      }
      LinkedHashSet<String> got = new LinkedHashSet<>();
      while (got.size() < MESSAGES) {
        Message m = inbox.poll(60, TimeUnit.SECONDS);
        assertThat(m).as("message %d of %d (got %s)", got.size() + 1, MESSAGES, got.size())
            .isNotNull();
        if (m.getBody() != null) {
          got.add(m.getBody());
        }
      }
      assertThat(new ArrayList<>(got)).containsExactlyElementsOf(expected);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void whenEveryTernProcessOfRegionADiesItsUsersReconnectToRegionBAndMissNothing()
      throws Exception {
    Federation federation = TestFederation.get().federation();
    XMPPTCPConnection b = XmppClients.tcp("region-a");
    BlockingQueue<Message> before = new LinkedBlockingQueue<>();
    b.addSyncStanzaListener(s -> before.add((Message) s), StanzaTypeFilter.MESSAGE);
    login(b, bob);
    XMPPTCPConnection a = login(XmppClients.tcp("region-b"), alice);
    AtomicInteger acked = new AtomicInteger();
    a.addStanzaAcknowledgedListener(s -> {
      if (s instanceof Message) {
        acked.incrementAndGet();
      }
    });
    List<String> expected = new ArrayList<>();
    try {
      for (int i = 1; i <= 20; i++) {
        send(a, "before the loss " + i);
        expected.add("before the loss " + i);
      }
      // Bob got some of them in region-a (kept: those he acknowledged are not sent again); then
      // region-a's Tern dies (kill -9).
      await().atMost(Duration.ofSeconds(20)).until(() -> !before.isEmpty());
      Processes.running(federation.layout(), "tern-region-a").orElseThrow().destroyForcibly();
      b.instantShutdown();
      for (int i = 1; i <= 20; i++) {
        send(a, "after the loss " + i);
        expected.add("after the loss " + i);
      }
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        a.requestSmAcknowledgement();
        assertThat(acked.get()).isEqualTo(40);
      });
      // The directory forgets Bob's region-a session within one TTL of its edge's last
      // heartbeat (directory.presence.ttl, 15 s by default; slack for this busy machine).
      await().atMost(Duration.ofSeconds(45)).untilAsserted(() ->
          assertThat(whereIs(bob)).doesNotContain("region-a"));

      // Bob reconnects to region-b: everything he did not acknowledge, in order, once.
      XMPPTCPConnection elsewhere = XmppClients.tcp("region-b");
      BlockingQueue<Message> after = new LinkedBlockingQueue<>();
      elsewhere.addSyncStanzaListener(s -> after.add((Message) s), StanzaTypeFilter.MESSAGE);
      login(elsewhere, bob);
      try {
        LinkedHashSet<String> got = new LinkedHashSet<>();
        while (!got.containsAll(expected.subList(20, 40))) {
          Message m = after.poll(30, TimeUnit.SECONDS);
          assertThat(m).as("after %s", got).isNotNull();
          got.add(m.getBody());
        }
        List<String> inOrder = new ArrayList<>(got);
        assertThat(expected).containsSubsequence(inOrder);
        // What Bob had not received before the loss is all there.
        List<String> seenBefore = new ArrayList<>();
        before.forEach(m -> seenBefore.add(m.getBody()));
        LinkedHashSet<String> all = new LinkedHashSet<>(seenBefore);
        all.addAll(got);
        assertThat(all).containsAll(expected);
      } finally {
        elsewhere.disconnect();
      }
    } finally {
      a.disconnect();
      federation.restartRegion("region-a", Map.of());
    }
  }

  @Test
  void aRegionProcessStoppedCleanlyAnnouncesItsUsersUnavailableToTheirContactsFirst()
      throws Exception {
    Federation federation = TestFederation.get().federation();
    String carol = XmppClients.registerNewUser("region-a");
    XMPPTCPConnection c = XmppClients.tcp("region-a");
    Roster.getInstanceFor(c).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
    login(c, carol);
    XMPPTCPConnection b = XmppClients.tcp("region-b");
    Roster.getInstanceFor(b).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
    login(b, bob);
    String bobsPhone = b.getUser().toString();
    Roster.getInstanceFor(c).createItemAndRequestSubscription(
        JidCreate.entityBareFrom(bob + "@localhost"), "Bob", null);
    await().atMost(Duration.ofSeconds(30)).until(() -> Roster.getInstanceFor(c)
        .getPresence(JidCreate.entityBareFrom(bob + "@localhost")).isAvailable());
    CompletableFuture<Presence> gone = XmppClients.unavailableFrom(c, bobsPhone);
    try {
      // SIGTERM to region-b's process, its router and its edge in one: the edge's sessions end
      // and announce themselves unavailable, which that same router must still carry out. A
      // clean stop takes the sessions out of the directory, so nobody would announce them later.
      federation.restartRegion("region-b", Map.of());

      assertThat(gone.get(20, TimeUnit.SECONDS).getFrom().toString()).isEqualTo(bobsPhone);
    } finally {
      c.disconnect();
      b.instantShutdown();
    }
  }

  /** {@code /admin/where} of region-b for {@code user}, as JSON text. */
  private static String whereIs(String user) throws Exception {
    var http = Regions.config("region-b").http();
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
            + http.host() + ":" + http.port() + "/admin/where?user=" + user + "@localhost"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private void send(XMPPTCPConnection a, String body) throws Exception {
    a.sendStanza(a.getStanzaFactory().buildMessageStanza()
        .to(JidCreate.entityBareFrom(bob + "@localhost")).ofType(Message.Type.chat)
        .setBody(body).build());
  }

  private static String aRedisMaster() {
    for (int port = 7001; port <= 7006; port++) {
      try (Jedis jedis = RedisCluster.jedis("127.0.0.1", port)) {
        if (jedis.role().get(0).toString().equals("master")) {
          return "redis-" + port;
        }
      }
    }
    throw new AssertionError("no Redis master");
  }

  /**
   * The member name of the NATS server of {@code region} that has a client named so, asked of
   * each server's monitoring endpoint as the region's config lists them (in server order).
   */
  private static String natsServerOf(String region, String client) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<String> monitoring = Regions.config(region).nats().monitoring();
    for (int i = 0; i < monitoring.size(); i++) {
      String body = http.send(HttpRequest.newBuilder(URI.create(
              monitoring.get(i) + "/connz?limit=1000")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (body.contains("\"name\": \"" + client + "\"")
          || body.contains("\"name\":\"" + client + "\"")) {
        return "nats-" + region.substring(region.lastIndexOf('-') + 1) + (i + 1);
      }
    }
    throw new AssertionError("no NATS server of " + region + " has client " + client);
  }

}

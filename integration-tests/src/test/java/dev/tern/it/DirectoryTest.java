package dev.tern.it;

import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.regions.RegionConfig;
import dev.tern.regions.launcher.Federation;
import dev.tern.regions.launcher.Member;
import dev.tern.regions.launcher.Processes;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The global directory as an operator sees it: {@code /admin/where} of one region shows users
 * connected in any region, clean disconnects and dead edges take them away, and
 * {@code /admin/federation} shows the gateways, directory and routers of every region.
 */
@Order(24)
@ExtendWith(TestFederation.class)
class DirectoryTest {

  private static final String DYING_EDGE = "tern-region-b-edge-dir";
  private static final int OFFSET = 250; // 6472 / 6473 / 6530
  /** The dying edge's TTL: short, so the test need not wait the default 15 s. */
  private static final Duration SHORT_TTL = Duration.ofSeconds(3);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An edge-only process stopped cleanly (SIGTERM), with the directory's default TTL. */
  private static final String STOPPING_EDGE = "tern-region-b-edge-stop";
  private static final int STOPPING_OFFSET = 260; // 6482 / 6483 / 6540

  @AfterAll
  static void stopTheDyingEdge() throws Exception {
    TestFederation.get().federation().stopMember(DYING_EDGE);
    TestFederation.get().federation().stopMember(STOPPING_EDGE);
  }

  /** A client of {@code user} logged in on {@code edge}'s STARTTLS port (a region-b edge). */
  private static XMPPTCPConnection loginOn(Member edge, String user) throws Exception {
    var c2s = edge.endpoints().get(1);
    XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
        .setXmppDomain(XmppClients.DOMAIN)
        .setHostAddress(InetAddress.getByName(c2s.host()))
        .setPort(c2s.port())
        .setSecurityMode(SecurityMode.required)
        .setCustomX509TrustManager(XmppClients.trustManager("region-b"))
        .setConnectTimeout(10_000)
        .build());
    c.setReplyTimeout(10_000);
    return login(c, user);
  }

  private static HttpResponse<String> get(String region, String path) throws Exception {
    RegionConfig c = Regions.config(region);
    return HTTP.send(HttpRequest.newBuilder(URI.create(
            "http://" + c.http().host() + ":" + c.http().port() + path))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode where(String region, String user) throws Exception {
    HttpResponse<String> r = get(region, "/admin/where?user="
        + URLEncoder.encode(user + "@" + XmppClients.DOMAIN, StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static JsonNode resource(JsonNode where, String resource) {
    for (JsonNode r : where.path("resources")) {
      if (r.path("resource").asText().equals(resource)) {
        return r;
      }
    }
    return JSON.missingNode();
  }

  @Test
  void aUserLoggedInToRegionBAppearsInRegionAsViewWithRegionBAndItsResource() throws Exception {
    String bob = XmppClients.registerNewUser("region-b");
    XMPPTCPConnection phone = login(XmppClients.tcp("region-b"), bob);
    try {
      String resource = phone.getUser().getResourceOrThrow().toString();

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        JsonNode where = where("region-a", bob);
        assertThat(where.path("online").asBoolean()).isTrue();
        assertThat(where.path("regions")).extracting(JsonNode::asText).containsExactly("region-b");
        JsonNode entry = resource(where, resource);
        assertThat(entry.path("region").asText()).isEqualTo("region-b");
        assertThat(entry.path("edge").asText()).startsWith("region-b-edge-");
        assertThat(entry.path("since").asText()).isNotEmpty();
      });
    } finally {
      phone.disconnect();
    }
  }

  @Test
  void afterACleanDisconnectTheUserIsGoneAndLastSeenIsSet() throws Exception {
    String alice = XmppClients.registerNewUser("region-a");
    XMPPTCPConnection laptop = login(XmppClients.tcp("region-a"), alice);
    await().atMost(Duration.ofSeconds(20))
        .until(() -> where("region-b", alice).path("online").asBoolean());
    assertThat(where("region-b", alice).path("lastSeen").isNull()).isTrue();

    laptop.disconnect();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      JsonNode where = where("region-b", alice);
      assertThat(where.path("online").asBoolean()).isFalse();
      assertThat(where.path("resources")).isEmpty();
      assertThat(where.path("lastSeen").asText()).isNotEmpty();
    });
  }

  @Test
  void theUsersOfAnEdgeKilledWithKill9VanishWithinOneTtlAndAreAnnouncedUnavailable()
      throws Exception {
    Federation federation = TestFederation.get().federation();
    Member edge = federation.startExtraEdge("region-b", DYING_EDGE, OFFSET, Map.of(
        "TERN_DIRECTORY_PRESENCE_TTL", SHORT_TTL.toSeconds() + "s",
        "TERN_DIRECTORY_PRESENCE_HEARTBEAT", "1s"));
    String carol = XmppClients.registerNewUser("region-b");
    XMPPTCPConnection tablet = loginOn(edge, carol);
    String resource = tablet.getUser().getResourceOrThrow().toString();
    String tabletJid = tablet.getUser().toString();
    // carol's phone, on region-b's own edge, sees her other resource come and, later, go
    XMPPTCPConnection phone = login(XmppClients.tcp("region-b"), carol);
    CompletableFuture<Presence> tabletGone = XmppClients.unavailableFrom(phone, tabletJid);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(resource(where("region-a", carol), resource).path("edge").asText())
            .startsWith("region-b-edge-"));

    // kill -9: the edge says nothing to anyone, it only stops heartbeating.
    Processes.running(federation.layout(), DYING_EDGE).orElseThrow().destroyForcibly();

    // One TTL, plus region-a's near-cache and some slack for a loaded machine.
    await().atMost(SHORT_TTL.plusSeconds(20)).untilAsserted(() -> {
      JsonNode where = where("region-a", carol);
      assertThat(resource(where, resource).isMissingNode()).as(where.toString()).isTrue();
      assertThat(resource(where, phone.getUser().getResourceOrThrow().toString()).isMissingNode())
          .as("the phone is still there").isFalse();
    });
    // region-b's routers announce the dead edge's sessions: the tablet never said goodbye
    Presence gone = tabletGone.get(SHORT_TTL.plusSeconds(30).toSeconds(), TimeUnit.SECONDS);
    assertThat(String.valueOf(gone.getFrom())).isEqualTo(tabletJid);
    phone.disconnect();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      JsonNode where = where("region-a", carol);
      assertThat(where.path("online").asBoolean()).isFalse();
      assertThat(where.path("lastSeen").asText()).isNotEmpty();
    });
    try {
      tablet.disconnect();
    } catch (RuntimeException ignored) {
      // the socket is already gone
    }
  }

  @Test
  void theUsersOfAnEdgeStoppedCleanlyAreAnnouncedUnavailableBeforeItExits() throws Exception {
    Federation federation = TestFederation.get().federation();
    Member edge = federation.startExtraEdge("region-b", STOPPING_EDGE, STOPPING_OFFSET);
    String dave = XmppClients.registerNewUser("region-b");
    XMPPTCPConnection tablet = loginOn(edge, dave);
    String tabletJid = tablet.getUser().toString();
    XMPPTCPConnection phone = login(XmppClients.tcp("region-b"), dave);
    CompletableFuture<Presence> tabletGone = XmppClients.unavailableFrom(phone, tabletJid);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(resource(where("region-a", dave),
            tablet.getUser().getResourceOrThrow().toString()).isMissingNode()).isFalse());

    // SIGTERM: a clean stop takes the edge's sessions out of the directory at once, so no
    // router will announce them later as a dead edge's; the edge must say they went itself.
    federation.stopMember(STOPPING_EDGE);

    Presence gone = tabletGone.get(20, TimeUnit.SECONDS);
    assertThat(String.valueOf(gone.getFrom())).isEqualTo(tabletJid);
    phone.disconnect();
    try {
      tablet.disconnect();
    } catch (RuntimeException ignored) {
      // the edge closed the stream
    }
  }

  @Test
  void aUserNobodySawIsOfflineAndAnAddresslessQueryIsABadRequest() throws Exception {
    JsonNode where = where("region-a", "nobody-" + System.nanoTime());
    assertThat(where.path("online").asBoolean()).isFalse();
    assertThat(where.path("lastSeen").isNull()).isTrue();

    assertThat(get("region-a", "/admin/where").statusCode()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"region-a", "region-b"})
  void theFederationViewShowsBothRegionsGatewaysConnectedTheirRoutersUpAndTheDirectoryOk(
      String askedRegion) throws Exception {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HttpResponse<String> r = get(askedRegion, "/admin/federation");
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode view = JSON.readTree(r.body());
      assertThat(view.path("answeredBy").asText()).isEqualTo(askedRegion);
      for (String region : new String[] {"region-a", "region-b"}) {
        JsonNode node = view.path("regions").path(region);
        assertThat(node.path("gateways").path("connected").asBoolean()).as(region + " " + node)
            .isTrue();
        assertThat(node.path("gateways").path("servers")).hasSize(3);
        String other = region.equals("region-a") ? "region-b" : "region-a";
        for (JsonNode server : node.path("gateways").path("servers")) {
          assertThat(server.path("outbound")).extracting(JsonNode::asText).contains(other);
        }
        assertThat(node.path("router").path("up").asBoolean()).as(region + " " + node).isTrue();
        assertThat(node.path("directory").path("clusterState").asText()).isEqualTo("ok");
        assertThat(node.path("directory").path("mastersUp").asInt()).isPositive();
      }
      assertThat(view.path("ok").asBoolean()).as(view.toString()).isTrue();
    });
  }
}

package dev.tern.regions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegionConfigTest {

  static Path regionFile(String region) {
    return Path.of("").toAbsolutePath().resolve(region).resolve("tern.yaml");
  }

  @Test
  void bothRegionsOfTheLocalFederationLoadWithTheirOwnPortsAndDatacenters() {
    RegionConfig a = RegionConfig.load(regionFile("region-a"), Map.of());
    RegionConfig b = RegionConfig.load(regionFile("region-b"), Map.of());

    assertThat(a.region()).isEqualTo("region-a");
    assertThat(a.http().port()).isEqualTo(5280);
    assertThat(a.cassandra().localDatacenter()).isEqualTo("region-a");
    assertThat(b.region()).isEqualTo("region-b");
    assertThat(b.http().port()).isEqualTo(6280);
    assertThat(b.cassandra().localDatacenter()).isEqualTo("region-b");
    assertThat(b.cassandra().replication()).containsOnlyKeys("region-a", "region-b");
    assertThat(b.roles()).isEqualTo(Set.of("edge", "router"));
    assertThat(a.domain()).isEqualTo(b.domain()).isEqualTo("localhost");
    assertThat(a.xmpp().c2s().port()).isEqualTo(5222);
    assertThat(a.xmpp().directTls().port()).isEqualTo(5223);
    assertThat(b.xmpp().c2s().port()).isEqualTo(6222);
    assertThat(b.xmpp().directTls().port()).isEqualTo(6223);
    assertThat(a.xmpp().registration()).isTrue();
    assertThat(b.xmpp().registration()).isTrue();
  }

  @Test
  void registrationIsOffByDefaultAndLimitsHaveTheirDocumentedDefaults() {
    RegionConfig c = RegionConfig.load("region: region-a\n", Map.of(), "t.yaml");

    assertThat(c.xmpp().registration()).isFalse();
    assertThat(c.edgeConfig().limits().maxStanzaBytes()).isEqualTo(256 * 1024);
    assertThat(c.edgeConfig().limits().preAuthTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.edgeConfig().limits().connectionRatePerIp()).isEqualTo(50);
    assertThat(c.edgeConfig().limits().connectionBurstPerIp()).isEqualTo(1000);
    assertThat(c.edgeConfig().tls().certificateChain()).isEmpty();
  }

  @Test
  void theConnectionRatePerAddressIsSetInTheFileOrTheEnvironmentAndTheOldLimitIsGone() {
    RegionConfig c = RegionConfig.load("xmpp:\n  limits:\n    connectionRatePerIp: 200\n",
        Map.of("TERN_XMPP_LIMITS_CONNECTION_BURST_PER_IP", "5000"), "t.yaml");

    assertThat(c.edgeConfig().limits().connectionRatePerIp()).isEqualTo(200);
    assertThat(c.edgeConfig().limits().connectionBurstPerIp()).isEqualTo(5000);
    assertThatThrownBy(() -> RegionConfig.load(
        "xmpp:\n  limits:\n    maxUnauthenticatedPerIp: 20\n", Map.of(), "t.yaml"))
        .hasMessageContaining("'xmpp.limits.maxUnauthenticatedPerIp'");
    assertThatThrownBy(() -> RegionConfig.load(
        "xmpp:\n  limits:\n    connectionBurstPerIp: 10\n", Map.of(), "t.yaml"))
        .hasMessageContaining("xmpp.limits.connectionBurstPerIp");
  }

  @Test
  void messagesAreKeptForEverByDefaultOrForTheirRetention() {
    assertThat(RegionConfig.load("region: region-a\n", Map.of(), "t.yaml").messages()
        .retention()).isZero();
    RegionConfig year = RegionConfig.load("messages:\n  retention: 365 days\n", Map.of(),
        "t.yaml");
    assertThat(year.messages().retention()).isEqualTo(Duration.ofDays(365));
  }

  @Test
  void aCertificateWithoutItsKeyIsRefused() {
    assertThatThrownBy(() -> RegionConfig.load(
        "xmpp:\n  tls:\n    certificateChain: /etc/tern/chain.pem\n", Map.of(), "t.yaml"))
        .hasMessageContaining("xmpp.tls");
  }

  @Test
  void anUnknownOptionFailsWithItsName() {
    assertThatThrownBy(() -> RegionConfig.load("cassandra:\n  keySpace: x\n", Map.of(), "t.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("t.yaml")
        .hasMessageContaining("'cassandra.keySpace'");
  }

  @Test
  void aBadValueFailsWithTheOptionsName() {
    assertThatThrownBy(() -> RegionConfig.load("nats:\n  timeout: soon\n", Map.of(), "t.yaml"))
        .hasMessageContaining("nats.timeout")
        .hasMessageContaining("soon");
    assertThatThrownBy(() -> RegionConfig.load("http:\n  port: 70000\n", Map.of(), "t.yaml"))
        .hasMessageContaining("http.port");
    assertThatThrownBy(() -> RegionConfig.load("roles: [gateway]\n", Map.of(), "t.yaml"))
        .hasMessageContaining("roles");
  }

  @Test
  void environmentVariablesOverrideTheFile() {
    RegionConfig c = RegionConfig.load("region: region-b\nhttp:\n  port: 6280\n", Map.of(
            "TERN_HTTP_PORT", "7280",
            "TERN_CASSANDRA_LOCAL_DATACENTER", "region-b",
            "TERN_NATS_SERVERS", "nats://127.0.0.1:1, nats://127.0.0.1:2",
            "TERN_CASSANDRA_REPLICATION", "region-a=1,region-b=2",
            "TERN_CASSANDRA_REQUEST_TIMEOUT", "750ms",
            "TERN_CASSANDRA_CONNECTIONS_PER_NODE", "3"),
        "t.yaml");

    assertThat(c.http().port()).isEqualTo(7280);
    assertThat(c.cassandra().localDatacenter()).isEqualTo("region-b");
    assertThat(c.nats().servers()).containsExactly("nats://127.0.0.1:1", "nats://127.0.0.1:2");
    assertThat(c.cassandra().replication()).containsEntry("region-b", 2);
    assertThat(c.cassandra().requestTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(c.cassandra().connectionsPerNode()).isEqualTo(3);
  }

  @Test
  void environmentNamesAreTheOptionPathInUpperSnakeCase() {
    assertThat(RegionConfig.envName("cassandra.localDatacenter"))
        .isEqualTo("TERN_CASSANDRA_LOCAL_DATACENTER");
    assertThat(RegionConfig.envName("http.port")).isEqualTo("TERN_HTTP_PORT");
  }

  @Test
  void thePresenceDirectoryHasTypedDefaultsAndEnvironmentOverrides() {
    RegionConfig a = RegionConfig.load(regionFile("region-a"), Map.of());
    assertThat(a.directoryConfig().presence().ttl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(a.directoryConfig().presence().heartbeat()).isEqualTo(Duration.ofSeconds(5));
    assertThat(a.directoryConfig().presence().nearCache()).isEqualTo(Duration.ofSeconds(2));
    assertThat(a.http().admin()).isTrue();

    RegionConfig fast = RegionConfig.load(regionFile("region-a"), Map.of(
        "TERN_DIRECTORY_PRESENCE_TTL", "3s", "TERN_DIRECTORY_PRESENCE_HEARTBEAT", "1s",
        "TERN_HTTP_ADMIN", "false"));
    assertThat(fast.directoryConfig().presence().ttl()).isEqualTo(Duration.ofSeconds(3));
    assertThat(fast.directoryConfig().presence().heartbeat()).isEqualTo(Duration.ofSeconds(1));
    assertThat(fast.http().admin()).isFalse();
  }

  @Test
  void aHeartbeatSlowerThanHalfTheTtlFailsStartUpWithTheKeysName() {
    assertThatThrownBy(() -> RegionConfig.load(
        "directory:\n  presence:\n    ttl: 5s\n    heartbeat: 3s\n", Map.of(), "t.yaml"))
        .hasMessageContaining("directory.presence.ttl");
  }

  @Test
  void eachRegionWatchesItsOwnNatsServersMonitoringPorts() {
    assertThat(RegionConfig.load(regionFile("region-a"), Map.of()).nats().monitoring())
        .containsExactly("http://127.0.0.1:16451", "http://127.0.0.1:16452",
            "http://127.0.0.1:16453");
    assertThat(RegionConfig.load(regionFile("region-b"), Map.of()).nats().monitoring())
        .containsExactly("http://127.0.0.1:16461", "http://127.0.0.1:16462",
            "http://127.0.0.1:16463");
  }
}

package dev.tern.regions.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.regions.RegionConfig;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The launcher's topology and the regions' config files describe the same federation. */
class LocalFederationTest {

  private final Path root = Path.of("").toAbsolutePath().getParent();
  private final Layout layout = new Layout(root, root.resolve("var/unit"), root.resolve("var/dist"));
  private final Federation federation = new Federation(layout, "unused");

  private RegionConfig region(String name) {
    return RegionConfig.load(layout.regionConfig(name), Map.of());
  }

  @Test
  void everyPortOfTheFederationIsDistinct() {
    Set<String> seen = new HashSet<>();
    for (Member m : federation.members()) {
      for (Endpoint e : m.endpoints()) {
        assertThat(seen.add(e.host() + ":" + e.port())).as("%s of %s", e, m.name()).isTrue();
      }
    }
    assertThat(federation.members()).hasSize(2 + 6 + 6 + 2 + 2);
  }

  @Test
  void eachRegionTalksToItsOwnCassandraDatacenterNatsClusterAndObjectStore() {
    NatsSupercluster nats = new NatsSupercluster(Federation.REGIONS);
    for (CassandraNodes.Node node : CassandraNodes.local().nodes()) {
      RegionConfig c = region(node.datacenter());
      assertThat(c.cassandra().contactPoints())
          .containsExactly(node.address() + ":" + CassandraNodes.CQL_PORT);
      assertThat(c.cassandra().localDatacenter()).isEqualTo(node.datacenter());
      assertThat(c.nats().servers()).containsExactlyElementsOf(nats.servers(c.region()).stream()
          .map(s -> "nats://" + NatsSupercluster.HOST + ":" + s.clientPort()).toList());
      assertThat(c.nats().monitoring()).containsExactlyElementsOf(nats.servers(c.region())
          .stream().map(s -> "http://" + NatsSupercluster.HOST + ":" + s.monitorPort()).toList());
      assertThat(c.media().endpoint()).isEqualTo("http://127.0.0.1:" + (c.http().port() + 10));
      assertThat(c.directory().nodes()).allSatisfy(n -> assertThat(RedisCluster.PORTS)
          .contains(Integer.parseInt(n.substring(n.lastIndexOf(':') + 1))));
    }
  }

  @Test
  void natsServersNameTheirRegionAsClusterAndGatewayAndFsyncJetStream() {
    NatsSupercluster nats = new NatsSupercluster(Federation.REGIONS);
    NatsSupercluster.Server b2 = nats.servers("region-b").get(1);

    String conf = nats.config(b2, Path.of("/data/nats-b2"));

    assertThat(conf).contains("server_name: nats-b2", "listen: 127.0.0.1:14422",
        "name: region-b", "sync_interval: always", "store_dir: \"/data/nats-b2/jetstream\"",
        "nats-route://127.0.0.1:15421, nats-route://127.0.0.1:15422, nats-route://127.0.0.1:15423",
        "{ name: \"region-a\", urls: [\"nats://127.0.0.1:16411\"",
        "{ name: \"region-b\", urls: [\"nats://127.0.0.1:16421\"");
  }

  @Test
  void cassandraNodesAreOneDatacenterPerRegionOnTheirOwnLoopbackAddresses() {
    List<CassandraNodes.Node> nodes = CassandraNodes.local().nodes();
    assertThat(nodes).extracting(CassandraNodes.Node::datacenter)
        .containsExactlyElementsOf(Federation.REGIONS);
    assertThat(nodes).extracting(CassandraNodes.Node::address).doesNotHaveDuplicates()
        .allSatisfy(a -> assertThat(a).startsWith("127."));
    assertThat(nodes).extracting(CassandraNodes.Node::token).doesNotHaveDuplicates();
  }
}

package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.regions.RegionConfig;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Order(3)
@ExtendWith(TestFederation.class)
class NatsSuperclusterTest {

  private static final int PER_PUBLISHER = 5_000;

  private static Connection connectOnlyTo(String url) throws Exception {
    // No discovered servers: the connection stays on this one server.
    return Nats.connect(Options.builder().server(url).ignoreDiscoveredServers()
        .connectionTimeout(Duration.ofSeconds(5)).build());
  }

  @Test
  void messagesPublishedInRegionAReachASubscriberInRegionBInEachPublishersOrder() throws Exception {
    RegionConfig a = Regions.config("region-a");
    RegionConfig b = Regions.config("region-b");
    String prefix = "it.gateway." + UUID.randomUUID();
    try (Connection publisher1 = connectOnlyTo(a.nats().servers().get(0));
        Connection publisher2 = connectOnlyTo(a.nats().servers().get(1));
        Connection subscriber = connectOnlyTo(b.nats().servers().get(1))) {
      assertThat(publisher1.getServerInfo().getCluster()).isEqualTo("region-a");
      assertThat(publisher2.getServerInfo().getCluster()).isEqualTo("region-a");
      assertThat(subscriber.getServerInfo().getCluster()).isEqualTo("region-b");

      Subscription sub = subscriber.subscribe(prefix + ".>");
      subscriber.flush(Duration.ofSeconds(5));
      // The subscription's interest crosses the gateway asynchronously: probe until it has.
      for (Connection publisher : List.of(publisher1, publisher2)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
          publisher.publish(prefix + ".probe", new byte[0]);
          publisher.flush(Duration.ofSeconds(1));
          Message m = sub.nextMessage(Duration.ofMillis(200));
          while (m != null && !m.getSubject().endsWith(".probe")) {
            m = sub.nextMessage(Duration.ofMillis(50));
          }
          return m != null;
        });
      }

      for (int i = 0; i < PER_PUBLISHER; i++) {
        publisher1.publish(prefix + ".data", ("p1:" + i).getBytes(StandardCharsets.UTF_8));
        publisher2.publish(prefix + ".data", ("p2:" + i).getBytes(StandardCharsets.UTF_8));
      }
      publisher1.flush(Duration.ofSeconds(10));
      publisher2.flush(Duration.ofSeconds(10));

      Map<String, List<Integer>> received = new HashMap<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int count = 0;
      while (count < 2 * PER_PUBLISHER && System.nanoTime() < deadline) {
        Message m = sub.nextMessage(Duration.ofSeconds(1));
        if (m == null || !m.getSubject().endsWith(".data")) {
          continue;
        }
        String[] parts = new String(m.getData(), StandardCharsets.UTF_8).split(":");
        received.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        count++;
      }

      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < PER_PUBLISHER; i++) {
        expected.add(i);
      }
      assertThat(received.get("p1")).as("publisher 1, in order, none lost").isEqualTo(expected);
      assertThat(received.get("p2")).as("publisher 2, in order, none lost").isEqualTo(expected);
    }
  }
}

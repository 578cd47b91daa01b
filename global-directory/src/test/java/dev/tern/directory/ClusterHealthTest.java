package dev.tern.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterHealthTest {

  @Test
  void mastersAndReplicasAreCountedAndFailingOnesAreNotUp() {
    String nodes = """
        a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460
        a2 127.0.0.1:7002@17002 master - 0 1 2 connected 5461-10922
        a3 127.0.0.1:7003@17003 master,fail? - 0 1 3 disconnected 10923-16383
        b1 127.0.0.1:7004@17004 slave a1 0 1 1 connected
        b2 127.0.0.1:7005@17005 slave,fail a2 0 1 2 disconnected
        b3 127.0.0.1:7006@17006 slave a3 0 1 3 connected
        """;

    ClusterHealth health = ClusterHealth.parse("ok", nodes);

    assertThat(health).isEqualTo(new ClusterHealth("ok", 2, 3, 2, 3));
    assertThat(health.ok()).isTrue();
    assertThat(ClusterHealth.parse("fail", "").ok()).isFalse();
  }
}

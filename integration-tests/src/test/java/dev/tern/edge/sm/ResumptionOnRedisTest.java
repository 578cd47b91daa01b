package dev.tern.edge.sm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.directory.DirectoryConfig;
import dev.tern.directory.GlobalDirectory;
import dev.tern.directory.sm.RedisResumptionStore;
import dev.tern.directory.sm.ResumableSession;
import dev.tern.directory.sm.ResumptionStore;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;

/**
 * Two edges, each with its own Redis Cluster client: Alice enables on A, A dies, Alice resumes
 * on B. {@code -Dtern.test.redis=host:port} (default {@code 127.0.0.1:7101}, a throwaway
 * cluster); skipped when no cluster answers there.
 */
class ResumptionOnRedisTest {

  private static final String ALICE = "alice@example.com";
  private static final String PHONE = ALICE + "/phone";

  private static @Nullable GlobalDirectory directoryA;
  private static @Nullable GlobalDirectory directoryB;
  private static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(2);

  @BeforeAll
  static void connect() {
    String node = System.getProperty("tern.test.redis", "127.0.0.1:7101");
    DirectoryConfig config = new DirectoryConfig(List.of(node), Duration.ofSeconds(2));
    try {
      directoryA = GlobalDirectory.connect(config);
      directoryA.ping();
      directoryB = GlobalDirectory.connect(config);
    } catch (RuntimeException e) {
      Assumptions.assumeTrue(false, "no Redis Cluster at " + node + ": " + e);
    }
  }

  @AfterAll
  static void disconnect() {
    if (directoryA != null) {
      directoryA.close();
    }
    if (directoryB != null) {
      directoryB.close();
    }
    EXECUTOR.shutdownNow();
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static XmlElement message(int n) {
    return XmlElement.builder("message", "jabber:client").attribute("to", PHONE)
        .attribute("id", "m" + n)
        .child(XmlElement.builder("body", "jabber:client").text("n° " + n + " ☺").build())
        .build();
  }

  @Test
  void aliceResumesOnEdgeBTheStreamSheEnabledOnEdgeAWhichDied() throws Exception {
    ResumptionStore storeA = new RedisResumptionStore(directoryA.redis(), Duration.ofMinutes(1),
        EXECUTOR);
    ResumptionStore storeB = new RedisResumptionStore(directoryB.redis(), Duration.ofMinutes(1),
        EXECUTOR);
    Resumption edgeA = new Resumption(storeA, Resumption.Settings.DEFAULTS);
    Resumption edgeB = new Resumption(storeB, Resumption.Settings.DEFAULTS);

    ResumableSession s = await(edgeA.enable(
        new StreamManagement.Enable(true, OptionalLong.of(120)), ALICE, PHONE))
        .session().orElseThrow();
    OutboundQueue queue = new OutboundQueue(OutboundQueue.Limits.DEFAULTS);
    AckCounter inbound = new AckCounter();
    // Edge A fires its writes without waiting: the store keeps their order.
    storeA.handled(s.id(), s.lease(), inbound.increment());
    for (int n = 1; n <= 3; n++) {
      String xml = Xml.serialize(message(n));
      queue.add(xml);
      storeA.appendUnacked(s.id(), s.lease(), xml);
    }
    queue.ack(1);
    await(storeA.ack(s.id(), s.lease(), 1));
    // Edge A dies here: no detach, the live expiry keeps the state.

    assertThat(await(edgeB.resume(new StreamManagement.Resume(s.id(), 1), "mallory@example.com")))
        .isEqualTo(new Resumption.Refused(
            StreamManagement.Failed.of(StanzaErrorCondition.ITEM_NOT_FOUND)));
    Resumption.Outcome outcome = await(edgeB.resume(new StreamManagement.Resume(s.id(), 1), ALICE));

    assertThat(outcome).isInstanceOfSatisfying(Resumption.Accepted.class, accepted -> {
      assertThat(accepted.resumed()).isEqualTo(new StreamManagement.Resumed(s.id(), 1));
      assertThat(accepted.resend()).containsExactly(message(2), message(3));
      assertThat(accepted.queue().sent()).isEqualTo(3);
    });
    assertThat(await(storeA.refresh(s.id(), s.lease()))).as("edge A is fenced off").isFalse();
    assertThat(await(edgeA.resume(new StreamManagement.Resume(s.id(), 3), ALICE)))
        .as("resumed again, e.g. after B's connection dropped too")
        .isInstanceOfSatisfying(Resumption.Accepted.class,
            accepted -> assertThat(accepted.resend()).isEmpty());
  }
}

package dev.tern.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.directory.presence.InMemoryPresenceDirectory;
import dev.tern.directory.presence.PresenceTiming;
import dev.tern.routing.MessageWire;
import dev.tern.routing.ReceiptWire;
import dev.tern.routing.RouterSubjects;
import dev.tern.routing.blocking.BlockingWire;
import dev.tern.routing.mam.MamPage;
import dev.tern.routing.mam.MamRequest;
import dev.tern.routing.mam.MamWire;
import dev.tern.routing.roster.RosterWire;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A router's parts built over the in-memory stores and directory, on a NATS connection and
 * dispatcher that only record: no server, no database.
 */
class RegionRouterTest {

  private static final String REGION = "region-a";

  private final FakeNats nats = new FakeNats();

  private final RegionRouter router = new RegionRouter(
      new RouterConfig(REGION, List.of("nats://127.0.0.1:4222"), Duration.ofSeconds(2)),
      nats.connection(),
      new InMemoryPresenceDirectory(Clock.systemUTC()), PresenceTiming.DEFAULTS);

  @AfterEach
  void close() throws InterruptedException {
    router.close();
  }

  @Test
  void everyRouterSubjectOfTheRegionIsServedInTheQueueGroup() {
    router.subscribe(RouterStores.inMemory(), nats.dispatcher());

    assertThat(nats.queueSubscribed()).contains(
        RouterSubjects.ping(REGION),
        MessageWire.send(REGION),
        ReceiptWire.status(REGION),
        BlockingWire.lists(REGION),
        MamWire.query(REGION),
        RosterWire.roster(REGION),
        RosterWire.presence(REGION),
        RosterWire.subscription(REGION),
        RosterWire.last(REGION));
    assertThat(nats.subscribed()).as("every router hears of a changed block list")
        .contains(BlockingWire.CHANGED);
  }

  @Test
  void aPingIsAnsweredWithTheRoutersId() throws Exception {
    router.subscribe(RouterStores.inMemory(), nats.dispatcher());

    Message reply = nats.request(RouterSubjects.ping(REGION), new Headers(), new byte[0]);

    assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo(router.id());
  }

  @Test
  void anArchiveQueryIsAnsweredFromTheStoresItWasGiven() throws Exception {
    router.subscribe(RouterStores.inMemory(), nats.dispatcher());

    Message reply = nats.request(MamWire.query(REGION), new Headers(),
        MamRequest.all("juliet@example.com").encode());

    assertThat(MamPage.decode(reply.getData()).results()).isEmpty();
  }
}

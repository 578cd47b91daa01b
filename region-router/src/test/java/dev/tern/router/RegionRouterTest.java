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
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.impl.NatsMessage;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A router's parts built over the in-memory stores and directory, on a NATS connection and
 * dispatcher that only record: no server, no database.
 */
class RegionRouterTest {

  private static final String REGION = "region-a";

  private final List<Message> published = new CopyOnWriteArrayList<>();
  private final Map<String, MessageHandler> handlers = new ConcurrentHashMap<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();

  private final Connection nats = (Connection) Proxy.newProxyInstance(
      Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
      (proxy, method, args) -> {
        switch (method.getName()) {
          case "publish" -> {
            if (args.length == 1 && args[0] instanceof Message m) {
              published.add(m);
            } else if (args.length == 2 && args[0] instanceof String subject
                && args[1] instanceof byte[] data) {
              published.add(NatsMessage.builder().subject(subject).data(data).build());
            } else {
              throw new UnsupportedOperationException("publish with " + args.length + " args");
            }
            return null;
          }
          case "close" -> {
            return null;
          }
          default -> throw new UnsupportedOperationException(method.getName());
        }
      });

  private final Dispatcher dispatcher = (Dispatcher) Proxy.newProxyInstance(
      Dispatcher.class.getClassLoader(), new Class<?>[] {Dispatcher.class},
      (proxy, method, args) -> {
        if (method.getName().equals("subscribe") && args.length == 3
            && RouterSubjects.QUEUE_GROUP.equals(args[1])) {
          handlers.put((String) args[0], (MessageHandler) args[2]);
          queued.add((String) args[0]);
          return null;
        }
        if (method.getName().equals("subscribe") && args.length == 2) {
          handlers.put((String) args[0], (MessageHandler) args[1]);
          return null;
        }
        throw new UnsupportedOperationException(method.getName());
      });

  private final RegionRouter router = new RegionRouter(
      new RouterConfig(REGION, List.of("nats://127.0.0.1:4222"), Duration.ofSeconds(2)), nats,
      new InMemoryPresenceDirectory(Clock.systemUTC()), PresenceTiming.DEFAULTS);

  @AfterEach
  void close() throws InterruptedException {
    router.close();
  }

  private Message request(String subject, byte[] data) throws Exception {
    handlers.get(subject).onMessage(
        NatsMessage.builder().subject(subject).replyTo("reply").data(data).build());
    return published.stream().filter(m -> m.getSubject().equals("reply")).findFirst()
        .orElseThrow();
  }

  @Test
  void everyRouterSubjectOfTheRegionIsServedInTheQueueGroup() {
    router.subscribe(RouterStores.inMemory(), dispatcher);

    assertThat(queued).contains(
        RouterSubjects.ping(REGION),
        MessageWire.send(REGION),
        ReceiptWire.status(REGION),
        BlockingWire.lists(REGION),
        MamWire.query(REGION),
        RosterWire.roster(REGION),
        RosterWire.presence(REGION),
        RosterWire.subscription(REGION),
        RosterWire.last(REGION));
    assertThat(handlers).as("every router hears of a changed block list")
        .containsKey(BlockingWire.CHANGED);
  }

  @Test
  void aPingIsAnsweredWithTheRoutersId() throws Exception {
    router.subscribe(RouterStores.inMemory(), dispatcher);

    Message reply = request(RouterSubjects.ping(REGION), new byte[0]);

    assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo(router.id());
  }

  @Test
  void anArchiveQueryIsAnsweredFromTheStoresItWasGiven() throws Exception {
    router.subscribe(RouterStores.inMemory(), dispatcher);

    Message reply = request(MamWire.query(REGION),
        MamRequest.all("juliet@example.com").encode());

    assertThat(MamPage.decode(reply.getData()).results()).isEmpty();
  }
}

package dev.tern.regions.inprocess;

import static dev.tern.regions.inprocess.InProcessRegion.bare;
import static dev.tern.regions.inprocess.InProcessRegion.jid;
import static dev.tern.regions.inprocess.InProcessRegion.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.router.RouterStores;
import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.MessageStore;
import dev.tern.storage.messages.OriginRecord;
import dev.tern.storage.messages.StoredMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client sends faster than the region can store: the message store takes 30 ms per message,
 * one at a time (33 messages/s), so the 256 messages a session may have in flight wait almost
 * 8 s for the last of them. The client is slowed down (the edge stops reading it), never told
 * "not stored" for a message that then is stored, never stuck, and nothing is stored twice.
 */
class InProcessBackpressureTest {

  private static final ScheduledExecutorService disk = Executors.newSingleThreadScheduledExecutor();
  private static long diskFreeAt;

  /** A message store that writes one message at a time, each taking 10 ms. */
  private record SlowStore(MessageStore store) implements MessageStore {
    private static CompletionStage<Void> slowly(CompletionStage<Void> write) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      synchronized (disk) {
        diskFreeAt = Math.max(diskFreeAt, System.nanoTime()) + 30_000_000L;
        disk.schedule(() -> write.whenComplete((v, e) -> done.complete(null)),
            diskFreeAt - System.nanoTime(), TimeUnit.NANOSECONDS);
      }
      return done;
    }

    @Override
    public CompletionStage<Void> store(StoredMessage m) {
      return slowly(store.store(m));
    }

    @Override
    public CompletionStage<Void> recordOrigin(OriginRecord record) {
      return store.recordOrigin(record);
    }

    @Override
    public CompletionStage<Optional<OriginRecord>> findByOrigin(String sender, String originId) {
      return store.findByOrigin(sender, originId);
    }

    @Override
    public CompletionStage<List<StoredMessage>> history(ChatId chat, long afterSeq, int limit) {
      return store.history(chat, afterSeq, limit);
    }

    @Override
    public CompletionStage<Optional<StoredMessage>> find(ChatId chat, long seq) {
      return store.find(chat, seq);
    }
  }

  @RegisterExtension
  static final InProcessRegion region = new InProcessRegion(s -> new RouterStores(
      new SlowStore(s.messages()), s.unread(), s.archive(), s.receipts(), s.rosters(),
      s.lastActivity(), s.blockLists(), s.accounts(), s.chatLeases(), s.chatHomes(), s.vcards(),
      s.pep(), s.errors()));

  @Test
  void aClientSendingFasterThanTheRegionStoresIsSlowedNeverStuckAndNothingIsStoredTwice()
      throws Exception {
    String alice = region.registerNewUser("alice");
    String bob = region.registerNewUser("bob");
    XMPPTCPConnection a = login(region.tcp(), alice);
    int n = 1_000; // 30 s of storing at 33 messages/s: more than a request may wait
    AtomicInteger acked = new AtomicInteger();
    Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    a.addStanzaAcknowledgedListener(s -> {
      if (s instanceof Message) {
        acked.incrementAndGet();
      }
    });
    a.addSyncStanzaListener(s -> refused.add(s.getStanzaId()),
        s -> s instanceof Message m && m.getType() == Message.Type.error);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Message m = a.getStanzaFactory().buildMessageStanza().to(jid(bob))
          .ofType(Message.Type.chat).setBody("burst " + i).build();
      ids.add(m.getStanzaId());
      a.sendStanza(m);
    }
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      a.requestSmAcknowledgement();
      assertThat(acked.get()).isEqualTo(n);
    });
    assertThat(a.isConnected()).isTrue();

    List<String> stored = new ArrayList<>();
    long after = 0;
    for (List<StoredMessage> page; !(page = region.stores().messages()
        .history(ChatId.direct(bare(alice), bare(bob)), after, 500).toCompletableFuture().join())
        .isEmpty(); after = page.get(page.size() - 1).seq()) {
      page.forEach(m -> stored.add(m.stanzaXml()));
    }
    Set<String> bodies = new HashSet<>();
    for (String xml : stored) {
      assertThat(bodies.add(xml)).as("stored once: %s", xml).isTrue();
    }
    assertThat(refused).as("the client waited; it was not told to send again").isEmpty();
    assertThat(stored).hasSize(n);
  }
}

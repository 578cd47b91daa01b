package dev.tern.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.routing.MessageFacts;
import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.InMemoryMessageStore;
import dev.tern.storage.messages.InMemoryUnreadQueue;
import dev.tern.storage.messages.StoredMessage;
import dev.tern.storage.receipts.InMemoryReceiptStore;
import dev.tern.storage.receipts.ReceiptState;
import dev.tern.storage.receipts.ReceiptStatus;
import io.nats.client.Connection;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Receipts and markers in the router, on the in-memory stores (no NATS is used here). */
class ReceiptRouterTest {

  private static final String ALICE = "alice@localhost";
  private static final String BOB = "bob@localhost";
  private static final ChatId CHAT = ChatId.direct(ALICE, BOB);

  private final InMemoryMessageStore messages = new InMemoryMessageStore();
  private final InMemoryUnreadQueue unread = new InMemoryUnreadQueue();
  private final InMemoryReceiptStore receipts = new InMemoryReceiptStore();
  private final ReceiptRouter router = new ReceiptRouter(noNats(), receipts, unread);

  private static Connection noNats() {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          throw new UnsupportedOperationException("no NATS in this test");
        });
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private long seq;

  /** What MessageRouter does for a new message: store, index, queue for the recipient. */
  private StoredMessage send(String from, String to, Optional<String> origin, String xml) {
    StoredMessage m = new StoredMessage(CHAT, ++seq, java.util.UUID.randomUUID().toString(),
        from, to, origin, xml, java.time.Instant.now());
    await(messages.store(m));
    MessageFacts facts = MessageFacts.parse(xml);
    await(router.index(m, facts));
    await(unread.add(to, m));
    await(router.acknowledge(m, facts));
    return m;
  }

  private StoredMessage aliceAsksForAReceipt() {
    return send(ALICE, BOB, Optional.of("origin-1"), "<message xmlns='jabber:client' type='chat'"
        + " id='client-1' to='bob@localhost'><body>hi</body>"
        + "<request xmlns='urn:xmpp:receipts'/><markable xmlns='urn:xmpp:chat-markers:0'/>"
        + "</message>");
  }

  private ReceiptStatus status(StoredMessage m) {
    return await(receipts.status(m.chat(), m.seq()));
  }

  @Test
  void bobsReceiptMarksAlicesMessageDeliveredAndTakesItOutOfBobsQueue() {
    StoredMessage hi = aliceAsksForAReceipt();

    StoredMessage receipt = send(BOB, ALICE, Optional.empty(), "<message xmlns='jabber:client'"
        + " to='alice@localhost'><received xmlns='urn:xmpp:receipts' id='client-1'/></message>");

    assertThat(status(hi).state()).isEqualTo(ReceiptState.DELIVERED);
    assertThat(status(hi).delivered()).contains(receipt.storedAt());
    assertThat(await(unread.peek(BOB, 10))).isEmpty();
    assertThat(await(unread.peek(ALICE, 10))).as("the receipt itself waits for alice")
        .extracting(StoredMessage::seq).containsExactly(receipt.seq());
  }

  @Test
  void aDisplayedMarkerNamingTheOriginIdMarksTheMessageDisplayed() {
    StoredMessage hi = aliceAsksForAReceipt();

    send(BOB, ALICE, Optional.empty(), "<message xmlns='jabber:client' type='chat'>"
        + "<displayed xmlns='urn:xmpp:chat-markers:0' id='origin-1'/></message>");

    assertThat(status(hi).state()).isEqualTo(ReceiptState.DISPLAYED);
    assertThat(status(hi).delivered()).isPresent();
  }

  @Test
  void aMarkerNamingTheServersStanzaIdIsUnderstoodToo() {
    StoredMessage hi = aliceAsksForAReceipt();

    send(BOB, ALICE, Optional.empty(), "<message xmlns='jabber:client' type='chat'>"
        + "<received xmlns='urn:xmpp:chat-markers:0' id='" + hi.stanzaId() + "'/></message>");

    assertThat(status(hi).state()).isEqualTo(ReceiptState.DELIVERED);
  }

  @Test
  void aLateDeliveryReceiptDoesNotMoveADisplayedMessageBack() {
    StoredMessage hi = aliceAsksForAReceipt();
    send(BOB, ALICE, Optional.empty(), "<message xmlns='jabber:client'>"
        + "<displayed xmlns='urn:xmpp:chat-markers:0' id='client-1'/></message>");

    send(BOB, ALICE, Optional.empty(), "<message xmlns='jabber:client'>"
        + "<received xmlns='urn:xmpp:receipts' id='client-1'/></message>");

    assertThat(status(hi).state()).isEqualTo(ReceiptState.DISPLAYED);
  }

  @Test
  void aReceiptCanOnlyAcknowledgeWhatTheOtherPartySent() {
    StoredMessage hi = aliceAsksForAReceipt();

    // Alice "acknowledging" her own message changes nothing.
    send(ALICE, BOB, Optional.empty(), "<message xmlns='jabber:client'>"
        + "<received xmlns='urn:xmpp:receipts' id='client-1'/></message>");

    assertThat(status(hi)).isEqualTo(ReceiptStatus.SENT);
    assertThat(await(unread.peek(BOB, 10))).extracting(StoredMessage::seq).contains(hi.seq());
  }

  @Test
  void aReceiptForAnUnknownIdIsStillAnOrdinaryMessage() {
    aliceAsksForAReceipt();

    StoredMessage receipt = send(BOB, ALICE, Optional.empty(), "<message xmlns='jabber:client'>"
        + "<received xmlns='urn:xmpp:receipts' id='no-such-message'/></message>");

    assertThat(await(unread.peek(ALICE, 10))).extracting(StoredMessage::seq)
        .containsExactly(receipt.seq());
  }
}

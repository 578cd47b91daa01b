package dev.tern.router;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.router.blocking.BlockLists;
import dev.tern.router.accounts.KnownAccounts;
import dev.tern.routing.WireText;
import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.InMemoryAccountStore;
import dev.tern.router.chats.ChatHomes;
import dev.tern.router.chats.ChatSequencer;
import dev.tern.router.chats.ChatSettings;
import dev.tern.routing.MessageFacts;
import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.UnreadBatch;
import dev.tern.storage.archive.ArchiveEntry;
import dev.tern.storage.archive.ArchiveRange;
import dev.tern.storage.archive.ArchiveStore;
import dev.tern.storage.archive.InMemoryArchiveStore;
import dev.tern.storage.blocking.InMemoryBlockListStore;
import dev.tern.storage.chats.ChatLease;
import dev.tern.storage.chats.InMemoryChatHomeStore;
import dev.tern.storage.chats.InMemoryChatLeaseStore;
import dev.tern.storage.messages.ChatSeq;
import dev.tern.storage.messages.OriginRecord;
import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.InMemoryMessageStore;
import dev.tern.storage.messages.InMemoryUnreadQueue;
import dev.tern.storage.messages.MessageStore;
import dev.tern.storage.messages.StoredMessage;
import dev.tern.storage.messages.UnreadQueue;
import dev.tern.storage.receipts.InMemoryReceiptStore;
import dev.tern.storage.receipts.ReceiptState;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router's 1:1 message path over the in-memory stores, on a {@link FakeNats}: what is stored
 * before the edge is answered, what reaches the recipient's edges, and the unread queue's
 * subjects.
 */
class MessageRouterTest {

  private static final String REGION = "region-a";
  private static final String ALICE = "alice@localhost";
  private static final String BOB = "bob@localhost";
  private static final String ALICE_PHONE = ALICE + "/phone";
  private static final ChatId CHAT = ChatId.direct(ALICE, BOB);
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(2);

  private final FakeNats nats = new FakeNats();
  private final InMemoryMessageStore messages = new InMemoryMessageStore();
  private final InMemoryUnreadQueue unread = new InMemoryUnreadQueue();
  private final InMemoryArchiveStore archive = new InMemoryArchiveStore();
  private final InMemoryBlockListStore blockLists = new InMemoryBlockListStore();
  private final InMemoryAccountStore accounts = new InMemoryAccountStore();
  private final List<StoredMessage> offline = new ArrayList<>();
  private final InMemoryChatLeaseStore leases = new InMemoryChatLeaseStore();
  private final InMemoryChatHomeStore homes = new InMemoryChatHomeStore();
  private final InMemoryReceiptStore receiptStore = new InMemoryReceiptStore();
  private final ChatSequencer sequencer = new ChatSequencer(REGION,
      ChatSettings.defaults(REGION), leases, Clock.systemUTC());

  @BeforeEach
  void subscribe() {
    assertThat(sequencer.maintain()).isTrue(); // takes region-a's chat leases
    for (String user : List.of("alice", "bob")) {
      accounts.create(new Account(user, Instant.now(), Map.of()));
    }
    subscribe(messages, unread, archive);
  }

  /** A router over these stores, wired as RegionRouter does; it replaces any subscribed before. */
  private void subscribe(MessageStore messages, UnreadQueue unread, ArchiveStore archive) {
    ReceiptRouter receipts = new ReceiptRouter(nats.connection(), receiptStore, unread, messages);
    new MessageRouter(nats.connection(), messages, unread, archive, offline::add,
        DELIVERY_TIMEOUT, Optional.empty(), receipts, new MessageGate(nats.connection(),
            BlockLists.of(blockLists, BlockLists.Settings.DEFAULTS),
            new KnownAccounts(accounts, Clock.systemUTC())), sequencer,
        new ChatHomes(homes, REGION, 1000))
        .waitingForOwners(Duration.ZERO)
        .startingWritesOn(Runnable::run)
        .subscribe(nats.dispatcher(), REGION);
  }

  private static String chat(String to, String body) {
    return "<message xmlns='jabber:client' type='chat' to='" + to + "'><body>" + body
        + "</body></message>";
  }

  /**
   * The edge's request to store a message, as NatsEdgeMessaging sends it (with what it read in
   * the stanza); the router's reply.
   */
  private Message send(String fromFull, String toBare, Optional<String> originId, String xml) {
    return send(MessageWire.sendRequest(REGION, fromFull, toBare, originId,
        MessageFacts.parse(xml), xml));
  }

  private Message send(NatsMessage request) {
    return nats.request(request.getSubject(), request.getHeaders(), request.getData());
  }

  /** The request as an edge older than {@link MessageWire#WIRE} sends it: addressing only. */
  private Message sendFromOlderEdge(String fromFull, String toBare, String xml) {
    Headers h = new Headers().add(MessageWire.FROM, WireText.encode(fromFull))
        .add(MessageWire.TO, WireText.encode(toBare));
    return nats.request(MessageWire.send(REGION), h, xml.getBytes(UTF_8));
  }

  private Message send(String body) {
    return send(ALICE_PHONE, BOB, Optional.empty(), chat(BOB, body));
  }

  private List<UnreadBatch.Entry> unreadOf(String user, Optional<UnreadBatch.Entry> after) {
    Headers h = new Headers().add(MessageWire.USER, WireText.encode(user));
    after.ifPresent(a -> h.add(MessageWire.STORED_AT, WireText.encode(a.storedAt().toString()))
        .add(MessageWire.CHAT, WireText.encode(a.chat()))
        .add(MessageWire.SEQ, Long.toString(a.seq())));
    Message reply = nats.request(MessageWire.unread(REGION), h, new byte[0]);
    assertThat(reply.getHeaders()).as("no error").isNull();
    return UnreadBatch.decode(reply.getData());
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private List<StoredMessage> chatHistory() {
    return await(messages.history(CHAT, 0, 1000));
  }

  private List<ArchiveEntry> archiveOf(String user) {
    return await(archive.page(ArchiveRange.all(user, Optional.empty()), false, 1000));
  }

  private static String header(Message m, String name) {
    return m.getHeaders().getFirst(name);
  }

  /** What the stores held when something was published. */
  private record Snapshot(String subject, List<StoredMessage> history,
      List<StoredMessage> unread, Optional<ArchiveEntry> alicesArchive,
      Optional<ArchiveEntry> bobsArchive) {}

  @Test
  void aMessageIsStoredQueuedAndInBothArchivesWhenTheEdgeIsAnswered() {
    List<Snapshot> seen = new ArrayList<>();
    nats.beforePublish(m -> {
      String id = WireText.header(m.getHeaders(), MessageWire.STANZA_ID);
      seen.add(new Snapshot(m.getSubject(), chatHistory(), await(unread.peek(BOB, 10)),
          id == null ? Optional.empty() : await(archive.find(ALICE, id)),
          id == null ? Optional.empty() : await(archive.find(BOB, id))));
    });

    Message reply = send(ALICE_PHONE, BOB, Optional.of("origin-1"), chat(BOB, "Hi"));

    String stanzaId = header(reply, MessageWire.STANZA_ID);
    assertThat(stanzaId).isNotBlank();
    assertThat(header(reply, MessageWire.CHAT)).isEqualTo(CHAT.value());
    long seq = Long.parseLong(header(reply, MessageWire.SEQ));
    assertThat(header(reply, MessageWire.ERROR)).isNull();
    assertThat(seen).as("the reply is the first thing published").hasSize(1);
    Snapshot atReply = seen.get(0);
    assertThat(atReply.subject()).isEqualTo(reply.getSubject());
    assertThat(atReply.history()).singleElement().satisfies(m -> {
      assertThat(m.stanzaId()).isEqualTo(stanzaId);
      assertThat(m.seq()).isEqualTo(seq);
      assertThat(m.sender()).as("the sender's bare JID").isEqualTo(ALICE);
      assertThat(m.recipient()).isEqualTo(BOB);
      assertThat(m.originId()).contains("origin-1");
      assertThat(m.stanzaXml()).isEqualTo(chat(BOB, "Hi"));
    });
    assertThat(atReply.unread()).extracting(StoredMessage::stanzaId).containsExactly(stanzaId);
    assertThat(atReply.alicesArchive()).isPresent();
    assertThat(atReply.bobsArchive()).isPresent();
  }

  @Test
  void aStoredMessageGoesToTheRecipientsEdgesOnlyAfterTheSendersEdgeIsAnswered() {
    Message reply = send("Hi");

    assertThat(nats.outgoingSubjects())
        .containsExactly(reply.getSubject(), MessageWire.user(BOB));
    FakeNats.Request delivery = nats.requests(MessageWire.user(BOB)).get(0);
    assertThat(delivery.timeout()).isEqualTo(DELIVERY_TIMEOUT);
    Message m = delivery.message();
    assertThat(header(m, MessageWire.STANZA_ID)).isEqualTo(header(reply, MessageWire.STANZA_ID));
    assertThat(header(m, MessageWire.CHAT)).isEqualTo(CHAT.value());
    assertThat(header(m, MessageWire.SEQ)).isEqualTo(header(reply, MessageWire.SEQ));
    assertThat(header(m, MessageWire.FROM)).isEqualTo(ALICE);
    assertThat(header(m, MessageWire.TO)).isEqualTo(BOB);
    assertThat(Instant.parse(header(m, MessageWire.STORED_AT)))
        .isEqualTo(chatHistory().get(0).storedAt());
    assertThat(new String(m.getData(), UTF_8)).isEqualTo(chat(BOB, "Hi"));
  }

  @Test
  void twoMessagesOfOneChatOneEachWayShareItsSequenceInTheOrderTheyCame() {
    Message first = send(ALICE_PHONE, BOB, Optional.empty(), chat(BOB, "Hi"));
    Message second = send(BOB + "/laptop", ALICE, Optional.empty(), chat(ALICE, "Hello"));

    assertThat(header(first, MessageWire.CHAT)).isEqualTo(header(second, MessageWire.CHAT));
    long one = Long.parseLong(header(first, MessageWire.SEQ));
    long two = Long.parseLong(header(second, MessageWire.SEQ));
    assertThat(two).isGreaterThan(one);
    assertThat(chatHistory()).extracting(StoredMessage::seq).containsExactly(one, two);
  }

  @Test
  void aThousandMessagesOfOneChatAreNumberedInTheOrderTheyCameUnderTheShardsEpoch() {
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      seqs.add(Long.parseLong(header(send("m" + i), MessageWire.SEQ)));
    }

    assertThat(seqs).isSorted().doesNotHaveDuplicates();
    long epoch = await(leases.read(REGION, sequencer.shard(CHAT, REGION).index()))
        .orElseThrow().epoch();
    assertThat(seqs).allSatisfy(n -> assertThat(ChatSeq.epoch(n)).isEqualTo(epoch));
    assertThat(chatHistory()).extracting(StoredMessage::seq).isEqualTo(seqs);
    assertThat(nats.requests(MessageWire.user(BOB))).extracting(r -> header(r.message(),
        MessageWire.SEQ)).as("delivered in the chat's order")
        .isEqualTo(seqs.stream().map(String::valueOf).toList());
  }

  @Test
  void aResendTheSequencerNoLongerRemembersIsAnsweredFromItsOriginRecord() {
    Message original = send(ALICE_PHONE, BOB, Optional.of("origin-1"), chat(BOB, "Hi"));
    subscribe(messages, unread, archive); // a new router: its memory of origin-ids is empty

    Message resend = send(ALICE_PHONE, BOB, Optional.of("origin-1"), chat(BOB, "Hi"));

    assertThat(header(resend, MessageWire.STANZA_ID))
        .isEqualTo(header(original, MessageWire.STANZA_ID));
    assertThat(header(resend, MessageWire.SEQ)).isEqualTo(header(original, MessageWire.SEQ));
    assertThat(chatHistory()).hasSize(1);
    assertThat(await(messages.findByOrigin(ALICE, "origin-1"))).get()
        .extracting(OriginRecord::complete).isEqualTo(true);
  }

  @Test
  void aResendWhoseFirstAttemptStoppedAfterItsOriginRecordIsWrittenInFullBeforeTheAnswer() {
    // What a sequencer that died right after writing the origin record leaves behind.
    long seq = ChatSeq.first(8, System.currentTimeMillis());
    OriginRecord first = new OriginRecord(ALICE, "origin-1", CHAT, seq, "first-stanza-id", BOB,
        ChatSeq.time(seq), false);
    await(messages.recordOrigin(first));

    Message resend = send(ALICE_PHONE, BOB, Optional.of("origin-1"), chat(BOB, "Hi"));

    assertThat(header(resend, MessageWire.STANZA_ID)).isEqualTo("first-stanza-id");
    assertThat(header(resend, MessageWire.SEQ)).isEqualTo(Long.toString(seq));
    assertThat(chatHistory()).singleElement().satisfies(m -> {
      assertThat(m.seq()).isEqualTo(seq);
      assertThat(m.stanzaXml()).isEqualTo(chat(BOB, "Hi"));
    });
    assertThat(await(unread.peek(BOB, 10))).extracting(StoredMessage::stanzaId)
        .containsExactly("first-stanza-id");
    assertThat(archiveOf(ALICE)).hasSize(1);
    assertThat(archiveOf(BOB)).hasSize(1);
    assertThat(nats.requests(MessageWire.user(BOB))).as("never delivered before: asked")
        .hasSize(1);
    assertThat(await(messages.findByOrigin(ALICE, "origin-1"))).get()
        .extracting(OriginRecord::complete).isEqualTo(true);
  }

  @Test
  void aMessageWhoseLeaseWentBeforeItsTurnWaitsForTheNextOwnerInsteadOfBeingRefused()
      throws Exception {
    List<Runnable> turns = new java.util.concurrent.CopyOnWriteArrayList<>();
    ReceiptRouter receipts = new ReceiptRouter(nats.connection(), receiptStore, unread, messages);
    new MessageRouter(nats.connection(), messages, unread, archive, offline::add,
        DELIVERY_TIMEOUT, Optional.empty(), receipts, new MessageGate(nats.connection(),
            BlockLists.of(blockLists, BlockLists.Settings.DEFAULTS),
            new KnownAccounts(accounts, Clock.systemUTC())), sequencer,
        new ChatHomes(homes, REGION, 1000))
        .waitingForOwners(Duration.ofSeconds(10))
        .startingWritesOn(turns::add) // each write starts when the test runs it
        .subscribe(nats.dispatcher(), REGION);
    String xml = chat(BOB, "Hi");
    NatsMessage request = MessageWire.sendRequest(REGION, ALICE_PHONE, BOB,
        Optional.of("origin-lapse"), MessageFacts.parse(xml), xml);
    String inbox = nats.requestLater(request.getSubject(), request.getHeaders(),
        request.getData());
    assertThat(turns).hasSize(1); // numbered and written when its turn comes

    sequencer.releaseAll(); // the lease goes back (to the home region) before that turn
    turns.remove(0).run();
    assertThat(nats.published(inbox)).as("not refused").isEmpty();
    assertThat(sequencer.maintain()).isTrue(); // the next owner: this router again, new epoch

    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (turns.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(turns).as("its turn again, under the new owner").hasSize(1);
    turns.remove(0).run();
    Message reply = nats.published(inbox).get(0);
    assertThat(header(reply, MessageWire.STANZA_ID)).isNotNull();
    assertThat(chatHistory()).singleElement()
        .satisfies(m -> assertThat(m.stanzaXml()).isEqualTo(xml));
  }

  @Test
  void aMessageOfAChatAnotherRouterSequencesIsForwardedToItAndItsAnswerPassedOn() {
    int shard = sequencer.shard(CHAT, "region-b").index();
    await(homes.settle(CHAT, "region-b"));
    await(leases.replace(Optional.empty(), new ChatLease("region-b", shard, "region-b-router",
        9, Instant.now().plusSeconds(60))));
    assertThat(sequencer.maintain()).isTrue(); // reads the leases
    nats.answer(MessageWire.owner("region-b-router"), forwarded -> io.nats.client.impl.NatsMessage
        .builder().subject("_INBOX.owner").headers(new Headers()
            .add(MessageWire.STANZA_ID, "from-b")
            .add(MessageWire.CHAT, WireText.encode(CHAT.value()))
            .add(MessageWire.SEQ, "42")).data(new byte[0]).build());

    Message reply = send(ALICE_PHONE, BOB, Optional.of("origin-1"), chat(BOB, "Hi"));

    assertThat(header(reply, MessageWire.STANZA_ID)).isEqualTo("from-b");
    FakeNats.Request forwarded = nats.requests(MessageWire.owner("region-b-router")).get(0);
    assertThat(header(forwarded.message(), MessageRouter.CHAT_HOME)).isEqualTo("region-b");
    assertThat(header(forwarded.message(), MessageWire.ORIGIN_ID)).isEqualTo("origin-1");
    assertThat(header(forwarded.message(), MessageWire.WIRE)).as("what the edge read goes along")
        .isEqualTo(MessageWire.WIRE_VERSION);
    assertThat(new String(forwarded.message().getData(), UTF_8)).isEqualTo(chat(BOB, "Hi"));
    assertThat(chatHistory()).as("stored by its sequencer, not here").isEmpty();
  }

  @Test
  void aMessageOfAChatWhoseSequencerIsUnknownIsRefusedNotStored() {
    await(homes.settle(CHAT, "region-b")); // no router of region-b holds a lease

    Message reply = send("Hi");

    assertThat(header(reply, MessageWire.ERROR)).isEqualTo("not stored");
    assertThat(chatHistory()).isEmpty();
  }

  // ---- receipts: what the edge read in the stanza, or the stanza itself from an older edge ----

  private static final String BOB_LAPTOP = BOB + "/laptop";
  private static final String ALICES_HI = "<message xmlns='jabber:client' type='chat'"
      + " id='client-1' to='bob@localhost'><body>hi</body>"
      + "<request xmlns='urn:xmpp:receipts'/></message>";

  private static String receiptFor(String to, String id) {
    return "<message xmlns='jabber:client' to='" + to + "'>"
        + "<received xmlns='urn:xmpp:receipts' id='" + id + "'/></message>";
  }

  private ReceiptState stateOf(Message reply) {
    return await(receiptStore.status(CHAT, Long.parseLong(header(reply, MessageWire.SEQ))))
        .state();
  }

  @Test
  void aReceiptIsTakenFromTheEdgesHeadersWithoutReadingTheStanza() {
    Message hi = send(ALICE_PHONE, BOB, Optional.empty(), ALICES_HI);

    // The stanza carries no receipt: only the headers name one, so only they can have been read.
    send(MessageWire.sendRequest(REGION, BOB_LAPTOP, ALICE, Optional.empty(),
        new MessageFacts(Optional.empty(),
            List.of(new MessageFacts.Ack(ReceiptState.DELIVERED, "client-1"))),
        chat(ALICE, "no receipt in here")));

    assertThat(stateOf(hi)).isEqualTo(ReceiptState.DELIVERED);
    assertThat(await(unread.peek(BOB, 10))).as("bob's device has it").isEmpty();
  }

  @Test
  void aReceiptFromAnOlderEdgeWithoutTheHeadersIsReadFromTheStanza() {
    Message hi = sendFromOlderEdge(ALICE_PHONE, BOB, ALICES_HI);

    sendFromOlderEdge(BOB_LAPTOP, ALICE, receiptFor(ALICE, "client-1"));

    assertThat(stateOf(hi)).isEqualTo(ReceiptState.DELIVERED);
    assertThat(await(unread.peek(BOB, 10))).isEmpty();
  }

  @Test
  void duringAnUpgradeEdgesOfBothVersionsAcknowledgeEachOthersMessages() {
    Message fromNew = send(ALICE_PHONE, BOB, Optional.empty(), ALICES_HI);
    Message fromOlder = sendFromOlderEdge(BOB_LAPTOP, ALICE, "<message xmlns='jabber:client'"
        + " type='chat' id='bob-1' to='alice@localhost'><body>hello</body>"
        + "<received xmlns='urn:xmpp:receipts' id='client-1'/></message>");

    send(ALICE_PHONE, BOB, Optional.empty(), "<message xmlns='jabber:client' to='bob@localhost'>"
        + "<displayed xmlns='urn:xmpp:chat-markers:0' id='bob-1'/></message>");

    assertThat(stateOf(fromNew)).isEqualTo(ReceiptState.DELIVERED);
    assertThat(stateOf(fromOlder)).as("indexed by the id read from its stanza")
        .isEqualTo(ReceiptState.DISPLAYED);
  }

  @Test
  void aForwardedMessageIsNumberedAndStoredByTheSequencerThatHoldsItsShard() {
    Headers h = new Headers().add(MessageWire.FROM, ALICE_PHONE).add(MessageWire.TO, BOB)
        .add(MessageRouter.CHAT_HOME, REGION);

    Message reply = nats.request(MessageWire.owner(sequencer.name()), h,
        chat(BOB, "Hi").getBytes(UTF_8));

    assertThat(header(reply, MessageWire.ERROR)).isNull();
    assertThat(chatHistory()).singleElement().extracting(StoredMessage::stanzaId)
        .isEqualTo(header(reply, MessageWire.STANZA_ID));
  }

  @Test
  void aResendWithTheSameOriginIdIsStoredOnceAnsweredAsTheOriginalAndPublishedAgain() {
    Message original = send(ALICE_PHONE, BOB, Optional.of("origin-1"), chat(BOB, "Hi"));
    nats.send(MessageWire.delivered(REGION), new Headers().add(MessageWire.USER, BOB)
        .add(MessageWire.CHAT, WireText.encode(CHAT.value())).add(MessageWire.SEQ,
            WireText.encode(header(original, MessageWire.SEQ))), new byte[0]);

    Message resend = send(ALICE + "/tablet", BOB, Optional.of("origin-1"), chat(BOB, "Hi again"));

    assertThat(header(resend, MessageWire.STANZA_ID))
        .isEqualTo(header(original, MessageWire.STANZA_ID));
    assertThat(header(resend, MessageWire.SEQ)).isEqualTo(header(original, MessageWire.SEQ));
    assertThat(chatHistory()).hasSize(1);
    assertThat(await(unread.peek(BOB, 10))).as("bob's device took it; it is not queued again")
        .isEmpty();
    assertThat(archiveOf(ALICE)).hasSize(1);
    assertThat(nats.requests(MessageWire.user(BOB))).as("asked once, for the original")
        .hasSize(1);
    assertThat(nats.published(MessageWire.user(BOB))).singleElement().satisfies(again -> {
      assertThat(header(again, MessageWire.STANZA_ID))
          .isEqualTo(header(original, MessageWire.STANZA_ID));
      assertThat(new String(again.getData(), UTF_8)).as("the original stanza")
          .isEqualTo(chat(BOB, "Hi"));
    });
    assertThat(offline).isEmpty();
  }

  @Test
  void aMessageNoEdgeTookIsHandedToTheOfflineHook() {
    nats.noEdgeAnswers();

    Message reply = send("Hi");

    assertThat(offline).singleElement().satisfies(m -> {
      assertThat(m.stanzaId()).isEqualTo(header(reply, MessageWire.STANZA_ID));
      assertThat(m.recipient()).isEqualTo(BOB);
    });
    assertThat(await(unread.peek(BOB, 10))).as("it waits for bob").hasSize(1);
  }

  @Test
  void aMessageAnEdgeTookIsNotHandedToTheOfflineHook() {
    send("Hi");

    assertThat(nats.requests(MessageWire.user(BOB))).hasSize(1);
    assertThat(offline).isEmpty();
  }

  @Test
  void whenTheMessageStoreFailsTheEdgeIsAnsweredTernErrorAndNothingIsDelivered() {
    subscribe(new FailingStore(messages), unread, archive);

    Message reply = send(ALICE_PHONE, BOB, Optional.of("origin-1"), chat(BOB, "Hi"));

    assertThat(header(reply, MessageWire.ERROR)).isEqualTo("not stored");
    assertThat(header(reply, MessageWire.STANZA_ID)).isNull();
    assertThat(chatHistory()).isEmpty();
    assertThat(await(messages.findByOrigin(ALICE, "origin-1"))).as("a resend completes it")
        .get().extracting(OriginRecord::complete).isEqualTo(false);
    assertThat(nats.outgoingSubjects()).as("nothing but the reply")
        .containsExactly(reply.getSubject());
    assertThat(offline).isEmpty();
  }

  @Test
  void whenTheArchiveFailsTheEdgeIsAnsweredTernErrorAndNothingIsPublishedToTheRecipient() {
    subscribe(messages, unread, new FailingArchive(archive));

    Message reply = send(ALICE_PHONE, BOB, Optional.of("origin-1"), chat(BOB, "Hi"));

    assertThat(header(reply, MessageWire.ERROR)).isEqualTo("not stored");
    assertThat(header(reply, MessageWire.STANZA_ID)).isNull();
    assertThat(nats.outgoingSubjects()).as("nothing but the reply")
        .containsExactly(reply.getSubject());
  }

  @Test
  void aResendAfterAFailureIsStoredOnceAndDelivered() {
    subscribe(messages, unread, new FailingArchive(archive));
    send(ALICE_PHONE, BOB, Optional.of("origin-1"), chat(BOB, "Hi"));
    subscribe(messages, unread, archive);

    Message resend = send(ALICE_PHONE, BOB, Optional.of("origin-1"), chat(BOB, "Hi"));

    assertThat(header(resend, MessageWire.ERROR)).isNull();
    assertThat(chatHistory()).singleElement().extracting(StoredMessage::stanzaId)
        .isEqualTo(header(resend, MessageWire.STANZA_ID));
    assertThat(archiveOf(ALICE)).hasSize(1);
    assertThat(archiveOf(BOB)).hasSize(1);
    assertThat(nats.requests(MessageWire.user(BOB)))
        .as("the first attempt never reached bob: asked, like a new message").hasSize(1);
  }

  @Test
  void aMessageFromASenderTheRecipientBlockedIsRefusedAndNotStored() {
    await(blockLists.block(BOB, List.of(ALICE)));

    Message reply = send("Hi");

    assertThat(Refusal.from(reply.getHeaders()))
        .contains(Refusal.of("service-unavailable", "cancel"));
    assertThat(header(reply, MessageWire.ERROR)).isEqualTo("service-unavailable");
    assertThat(header(reply, MessageWire.STANZA_ID)).isNull();
    assertThat(chatHistory()).isEmpty();
    assertThat(await(unread.peek(BOB, 10))).isEmpty();
    assertThat(archiveOf(ALICE)).isEmpty();
    assertThat(archiveOf(BOB)).isEmpty();
    assertThat(nats.outgoingSubjects()).containsExactly(reply.getSubject());
  }

  @Test
  void aMessageToAUsernameWithNoAccountIsServiceUnavailableAndNeverQueued() {
    String nobody = "nobody@localhost";

    Message reply = send(ALICE_PHONE, nobody, Optional.empty(), chat(nobody, "anyone there?"));

    // RFC 6121 §8.5.2.1.1; queued, it would wait for whoever registers the name later.
    assertThat(Refusal.from(reply.getHeaders()))
        .contains(Refusal.of("service-unavailable", "cancel"));
    assertThat(await(unread.peek(nobody, 10))).isEmpty();
    assertThat(archiveOf(ALICE)).isEmpty();
    assertThat(nats.outgoingSubjects()).containsExactly(reply.getSubject());

    accounts.create(new Account("nobody", Instant.now(), Map.of())); // registered now
    assertThat(header(send(ALICE_PHONE, nobody, Optional.empty(), chat(nobody, "welcome")),
        MessageWire.STANZA_ID)).as("stored at once, not refused from memory").isNotNull();
  }

  @Test
  void aMessageToAUserTheSenderBlockedIsRefusedAsBlockedAndNotStored() {
    await(blockLists.block(ALICE, List.of(BOB)));

    Message reply = send("Hi");

    assertThat(Refusal.from(reply.getHeaders())).contains(new Refusal("not-acceptable", "cancel",
        Optional.of("{urn:xmpp:blocking:errors}blocked")));
    assertThat(chatHistory()).isEmpty();
    assertThat(await(unread.peek(BOB, 10))).isEmpty();
    assertThat(nats.outgoingSubjects()).containsExactly(reply.getSubject());
  }

  @Test
  void theUnreadSubjectAnswersAtMostAHundredInOrderAndAfterGoesOnFromTheGivenEntry() {
    List<StoredMessage> queued = new ArrayList<>();
    for (int i = 1; i <= 150; i++) { // stored as the router stores them, without its round trip
      StoredMessage m = new StoredMessage(CHAT, i, "id-" + i, ALICE, BOB, Optional.empty(),
          chat(BOB, "message " + i), Instant.ofEpochMilli(1_700_000_000_000L + i));
      await(messages.store(m));
      await(unread.add(BOB, m));
      queued.add(m);
    }
    List<String> ids = queued.stream().map(StoredMessage::stanzaId).toList();

    List<UnreadBatch.Entry> first = unreadOf(BOB, Optional.empty());
    List<UnreadBatch.Entry> second = unreadOf(BOB, Optional.of(first.get(first.size() - 1)));
    List<UnreadBatch.Entry> third = unreadOf(BOB, Optional.of(second.get(second.size() - 1)));

    assertThat(first).hasSize(MessageRouter.UNREAD_BATCH);
    assertThat(first).extracting(UnreadBatch.Entry::stanzaId).isEqualTo(ids.subList(0, 100));
    assertThat(first).extracting(UnreadBatch.Entry::seq)
        .isEqualTo(LongStream.rangeClosed(1, 100).boxed().toList());
    assertThat(second).extracting(UnreadBatch.Entry::stanzaId).isEqualTo(ids.subList(100, 150));
    assertThat(third).isEmpty();
    StoredMessage one = queued.get(0);
    assertThat(first.get(0)).isEqualTo(new UnreadBatch.Entry(one.stanzaId(), CHAT.value(), 1,
        one.storedAt(), chat(BOB, "message 1")));
    assertThat(await(unread.peek(BOB, 1000))).as("reading leaves them queued").hasSize(150);
  }

  @Test
  void anUnreadEntryOfAnotherChatInTheSameMillisecondIsNotSkippedByAfter() {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    StoredMessage fromAlice = new StoredMessage(CHAT, 7, "id-alice", ALICE, BOB, Optional.empty(),
        chat(BOB, "from alice"), at);
    StoredMessage fromCarol = new StoredMessage(ChatId.direct("carol@localhost", BOB), 3,
        "id-carol", "carol@localhost", BOB, Optional.empty(), chat(BOB, "from carol"), at);
    await(unread.add(BOB, fromAlice));
    await(unread.add(BOB, fromCarol));

    List<UnreadBatch.Entry> all = unreadOf(BOB, Optional.empty());
    List<UnreadBatch.Entry> afterFirst = unreadOf(BOB, Optional.of(all.get(0)));

    assertThat(all).extracting(UnreadBatch.Entry::stanzaId)
        .as("same time: by chat, then seq").containsExactly("id-alice", "id-carol");
    assertThat(afterFirst).extracting(UnreadBatch.Entry::stanzaId).containsExactly("id-carol");
  }

  @Test
  void theUnreadSubjectAnswersAnEmptyBatchForAUserWithNothingQueued() {
    assertThat(unreadOf(BOB, Optional.empty())).isEmpty();
  }

  @Test
  void anUnreadQueueThatCannotBeReadIsAnsweredTernError() {
    subscribe(messages, new FailingPeek(unread), archive);

    Message reply = nats.request(MessageWire.unread(REGION),
        new Headers().add(MessageWire.USER, BOB), new byte[0]);

    assertThat(header(reply, MessageWire.ERROR)).isEqualTo("not read");
  }

  @Test
  void theDeliveredSubjectTakesTheEntryOutOfTheUnreadQueue() {
    Message one = send("one");
    Message two = send("two");

    nats.send(MessageWire.delivered(REGION), new Headers().add(MessageWire.USER, BOB)
        .add(MessageWire.CHAT, WireText.encode(CHAT.value()))
        .add(MessageWire.SEQ, WireText.encode(header(one, MessageWire.SEQ))),
        new byte[0]);

    assertThat(unreadOf(BOB, Optional.empty())).extracting(UnreadBatch.Entry::seq)
        .containsExactly(Long.parseLong(header(two, MessageWire.SEQ)));
    assertThat(chatHistory()).as("still in the chat's history").hasSize(2);
  }

  /** A message store whose message writes fail, as when Cassandra does not answer. */
  private record FailingStore(MessageStore store) implements MessageStore {
    @Override
    public CompletionStage<Void> store(StoredMessage m) {
      return CompletableFuture.failedFuture(new IllegalStateException("Cassandra is down"));
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

  /** An archive whose indexing fails. */
  private record FailingArchive(ArchiveStore store) implements ArchiveStore {
    @Override
    public CompletionStage<Void> add(StoredMessage m) {
      return CompletableFuture.failedFuture(new IllegalStateException("Cassandra is down"));
    }

    @Override
    public CompletionStage<Optional<ArchiveEntry>> find(String user, String stanzaId) {
      return store.find(user, stanzaId);
    }

    @Override
    public CompletionStage<List<ArchiveEntry>> page(ArchiveRange range, boolean newestFirst,
        int limit) {
      return store.page(range, newestFirst, limit);
    }
  }

  /** An unread queue that cannot be read. */
  private record FailingPeek(UnreadQueue queue) implements UnreadQueue {
    @Override
    public CompletionStage<Void> add(String user, StoredMessage m) {
      return queue.add(user, m);
    }

    @Override
    public CompletionStage<List<StoredMessage>> peek(String user, int limit) {
      return CompletableFuture.failedFuture(new IllegalStateException("Cassandra is down"));
    }

    @Override
    public CompletionStage<Void> remove(String user, ChatId chat, long seq) {
      return queue.remove(user, chat, seq);
    }

    @Override
    public CompletionStage<List<StoredMessage>> peekAfter(String user, Instant storedAt,
        ChatId chat, long seq, int limit) {
      return CompletableFuture.failedFuture(new IllegalStateException("Cassandra is down"));
    }
  }
}

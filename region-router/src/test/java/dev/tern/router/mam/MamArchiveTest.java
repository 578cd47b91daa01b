package dev.tern.router.mam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.router.accounts.KnownAccounts;
import dev.tern.routing.mam.MamFailure;
import dev.tern.routing.mam.MamPage;
import dev.tern.routing.mam.MamRequest;
import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.InMemoryAccountStore;
import dev.tern.storage.archive.InMemoryArchiveStore;
import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.MessageStore;
import dev.tern.storage.messages.OriginRecord;
import dev.tern.storage.messages.StoredMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** XEP-0313 queries and XEP-0059 paging over an in-memory archive. */
class MamArchiveTest {

  private static final String ALICE = "alice@localhost";
  private static final String BOB = "bob@localhost";
  private static final String CAROL = "carol@localhost";
  private static final Instant T0 = Instant.parse("2025-05-01T12:00:00Z");

  /** The chats' history as the test wrote it: only {@link #find} is used by queries. */
  private static final class Chats implements MessageStore {
    final Map<String, StoredMessage> byKey = new HashMap<>();

    @Override
    public CompletionStage<Void> store(StoredMessage m) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> recordOrigin(OriginRecord record) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<StoredMessage>> history(ChatId chat, long afterSeq, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Optional<StoredMessage>> find(ChatId chat, long seq) {
      return CompletableFuture.completedFuture(
          Optional.ofNullable(byKey.get(chat.value() + "#" + seq)));
    }

    @Override
    public CompletionStage<Optional<OriginRecord>> findByOrigin(String sender, String originId) {
      throw new UnsupportedOperationException();
    }
  }

  private final Chats chats = new Chats();
  private final InMemoryArchiveStore index = new InMemoryArchiveStore();
  private final InMemoryAccountStore accounts = new InMemoryAccountStore();
  private final MamArchive archive = new MamArchive(index, chats,
      new KnownAccounts(accounts, Clock.systemUTC()));
  /** Alice's archive in order: 120 with Bob (second i), then 3 with Carol. */
  private final List<StoredMessage> all = new ArrayList<>();
  private final List<StoredMessage> withBob = new ArrayList<>();

  private StoredMessage store(String from, String to, long seq, Instant at) {
    ChatId chat = ChatId.direct(from, to);
    StoredMessage m = new StoredMessage(chat, seq, UUID.randomUUID().toString(), from, to,
        Optional.empty(), "<message xmlns='jabber:client' type='chat'><body>" + from + " "
        + seq + "</body></message>", at);
    chats.byKey.put(chat.value() + "#" + seq, m);
    index.add(m).toCompletableFuture().join();
    all.add(m);
    return m;
  }

  @BeforeEach
  void history() {
    for (int i = 1; i <= 120; i++) {
      withBob.add(i % 2 == 0 ? store(BOB, ALICE, i, T0.plusSeconds(i))
          : store(ALICE, BOB, i, T0.plusSeconds(i)));
    }
    for (int i = 1; i <= 3; i++) {
      store(CAROL, ALICE, i, T0.plusSeconds(200 + i));
    }
  }

  private static MamRequest.Builder query() {
    return new MamRequest.Builder(ALICE);
  }

  private MamPage run(MamRequest q) {
    try {
      return archive.query(q).toCompletableFuture().get();
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> ids(MamPage page) {
    return page.results().stream().map(MamPage.Result::stanzaId).toList();
  }

  private static List<String> ids(List<StoredMessage> ms) {
    return ms.stream().map(StoredMessage::stanzaId).toList();
  }

  @Test
  void pagingForwardRestoresTheWholeArchiveInOrderAndTheLastPageIsComplete() {
    List<String> got = new ArrayList<>();
    MamPage page = run(query().max(50).build());
    got.addAll(ids(page));
    int pages = 1;
    while (!page.complete()) {
      page = run(query().max(50).after(page.last().orElseThrow()).build());
      got.addAll(ids(page));
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(got).containsExactlyElementsOf(ids(all));
  }

  @Test
  void anAccountRegisteredAgainUnderTheNameSeesNothingStoredBeforeIt() {
    String name = ALICE.substring(0, ALICE.indexOf('@'));
    accounts.create(new Account(name, T0.plusSeconds(100).plusMillis(500), Map.of()));

    MamPage page = run(query().max(100).build());

    assertThat(ids(page)).containsExactlyElementsOf(ids(all.subList(100, all.size())));
  }

  @Test
  void theDefaultPageIsFiftyMessages() {
    MamPage page = run(MamRequest.all(ALICE));

    assertThat(ids(page)).containsExactlyElementsOf(ids(all.subList(0, 50)));
    assertThat(page.complete()).isFalse();
    assertThat(page.first()).contains(all.get(0).stanzaId());
    assertThat(page.last()).contains(all.get(49).stanzaId());
  }

  @Test
  void anEmptyBeforeAsksForTheLastPageAndPagingBackwardsEndsCompleteAtTheStart() {
    MamPage last = run(query().with(BOB).max(50).before("").build());
    assertThat(ids(last)).containsExactlyElementsOf(ids(withBob.subList(70, 120)));
    assertThat(last.complete()).isFalse();

    MamPage middle = run(query().with(BOB).max(50).before(last.first().orElseThrow()).build());
    assertThat(ids(middle)).containsExactlyElementsOf(ids(withBob.subList(20, 70)));
    assertThat(middle.complete()).isFalse();

    MamPage first = run(query().with(BOB).max(50).before(middle.first().orElseThrow()).build());
    assertThat(ids(first)).containsExactlyElementsOf(ids(withBob.subList(0, 20)));
    assertThat(first.complete()).isTrue();
  }

  @Test
  void flipPageSendsThePageNewestFirst() {
    MamPage flipped = run(query().with(BOB).max(10).before("").flipPage().build());

    List<String> expected = new ArrayList<>(ids(withBob.subList(110, 120)));
    java.util.Collections.reverse(expected);
    assertThat(ids(flipped)).containsExactlyElementsOf(expected);
    assertThat(flipped.first()).contains(withBob.get(119).stanzaId());
  }

  @Test
  void withNarrowsTheArchiveToOneChat() {
    MamPage carol = run(query().with(CAROL).build());

    assertThat(ids(carol)).containsExactlyElementsOf(ids(all.subList(120, 123)));
    assertThat(carol.complete()).isTrue();
  }

  @Test
  void startAndEndKeepTheMessagesStoredWithinBothInclusive() {
    MamPage page = run(query().start(T0.plusSeconds(10)).end(T0.plusSeconds(14)).build());

    assertThat(ids(page)).containsExactlyElementsOf(ids(withBob.subList(9, 14)));
    assertThat(page.complete()).isTrue();
  }

  @Test
  void afterIdAndBeforeIdBoundTheRangeExclusively() {
    MamPage page = run(query().afterId(withBob.get(4).stanzaId())
        .beforeId(withBob.get(8).stanzaId()).build());

    assertThat(ids(page)).containsExactlyElementsOf(ids(withBob.subList(5, 8)));
  }

  @Test
  void idsFetchesExactlyTheNamedMessagesInArchiveOrder() {
    MamPage page = run(query().ids(List.of(all.get(121).stanzaId(), withBob.get(3).stanzaId(),
        "not-an-id")).build());

    assertThat(ids(page)).containsExactly(withBob.get(3).stanzaId(), all.get(121).stanzaId());
    assertThat(page.results().get(0).stanzaXml()).contains("<body>");
  }

  @Test
  void anUnknownAfterIdIsItemNotFound() {
    assertThatThrownBy(() -> archive.query(query().after("no-such-id").build())
            .toCompletableFuture().join())
        .hasCauseInstanceOf(MamFailure.class)
        .cause().extracting(e -> ((MamFailure) e).reason())
        .isEqualTo(MamFailure.Reason.ITEM_NOT_FOUND);
    assertThatThrownBy(() -> archive.query(query().beforeId("no-such-id").build())
            .toCompletableFuture().join())
        .hasCauseInstanceOf(MamFailure.class);
  }

  @Test
  void anotherUsersArchiveIdIsNotFoundInMine() {
    StoredMessage theirs = store(BOB, CAROL, 1, T0.plusSeconds(300));

    assertThatThrownBy(() -> archive.query(query().after(theirs.stanzaId()).build())
            .toCompletableFuture().join())
        .hasCauseInstanceOf(MamFailure.class);
  }

  @Test
  void anEmptyArchiveAnswersAnEmptyCompletePage() {
    MamPage page = run(MamRequest.all("dave@localhost"));

    assertThat(page.results()).isEmpty();
    assertThat(page.complete()).isTrue();
    assertThat(page.first()).isEmpty();
  }

  @Test
  void requestsAndPagesSurviveTheWire() {
    MamRequest q = query().with(BOB).start(T0).end(T0.plusSeconds(5)).afterId("a").beforeId("b")
        .ids(List.of("x", "y")).max(7).after("c").before("").flipPage().build();
    assertThat(MamRequest.decode(q.encode())).isEqualTo(q);

    MamPage page = run(query().max(3).build());
    assertThat(MamPage.decode(page.encode())).isEqualTo(page);
  }
}

package dev.tern.storage.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ArchiveStore} must have. A test class per implementation extends it
 * and supplies the store; each test uses users of its own, so the store may be shared between
 * tests and hold other data (a real Cassandra keyspace migrated to v6 or later).
 */
public abstract class ArchiveStoreContract {

  /** The store under test; may return the same instance on every call. */
  protected abstract ArchiveStore store();

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  private static String uniqueJid(String name) {
    return name + "-" + UUID.randomUUID() + "@example.com";
  }

  private static final Instant T0 = Instant.parse("2025-05-31T23:59:58Z");

  private final String alice = uniqueJid("alice");
  private final String bob = uniqueJid("bob");
  private final String carol = uniqueJid("carol");
  private final ChatId aliceBob = ChatId.direct(alice, bob);
  private final ChatId aliceCarol = ChatId.direct(alice, carol);

  private static StoredMessage message(ChatId chat, long seq, String from, String to,
      Instant at) {
    return new StoredMessage(chat, seq, UUID.randomUUID().toString(), from, to, Optional.empty(),
        "<message xmlns='jabber:client' type='chat'><body>" + seq + "</body></message>", at);
  }

  private static List<String> ids(List<ArchiveEntry> entries) {
    return entries.stream().map(ArchiveEntry::stanzaId).toList();
  }

  private static List<String> ids(StoredMessage... messages) {
    List<String> out = new ArrayList<>();
    for (StoredMessage m : messages) {
      out.add(m.stanzaId());
    }
    return out;
  }

  @Test
  void anEmptyArchiveHasNoPage() {
    assertThat(await(store().page(ArchiveRange.all(alice, Optional.empty()), false, 10)))
        .isEmpty();
    assertThat(await(store().find(alice, "no-such-id"))).isEmpty();
  }

  @Test
  void aMessageIsInTheArchivesOfItsSenderAndItsRecipientAndOfNobodyElse() {
    StoredMessage m = message(aliceBob, 1, alice, bob, T0);

    await(store().add(m));

    for (String user : List.of(alice, bob)) {
      List<ArchiveEntry> page =
          await(store().page(ArchiveRange.all(user, Optional.empty()), false, 10));
      assertThat(page).containsExactly(new ArchiveEntry(m.stanzaId(), ArchivePosition.of(m)));
      assertThat(await(store().find(user, m.stanzaId())))
          .contains(new ArchiveEntry(m.stanzaId(), ArchivePosition.of(m)));
    }
    assertThat(await(store().page(ArchiveRange.all(carol, Optional.empty()), false, 10)))
        .isEmpty();
    assertThat(await(store().find(carol, m.stanzaId()))).as("another user's id").isEmpty();
  }

  @Test
  void indexingAMessageAgainChangesNothing() {
    StoredMessage m = message(aliceBob, 1, alice, bob, T0);

    await(store().add(m));
    await(store().add(m));

    assertThat(ids(await(store().page(ArchiveRange.all(alice, Optional.empty()), false, 10))))
        .containsExactly(m.stanzaId());
  }

  @Test
  void theArchiveRunsInChatOrderWithinAChatAndByTimeAcrossChatsAlsoAcrossMonths() {
    // Two messages of one chat within one millisecond keep their seq order; the month turns.
    StoredMessage b1 = message(aliceBob, 1, alice, bob, T0);
    StoredMessage c1 = message(aliceCarol, 1, carol, alice, T0.plusMillis(500));
    StoredMessage b2 = message(aliceBob, 2, bob, alice, T0.plusMillis(1000));
    StoredMessage b3 = message(aliceBob, 3, alice, bob, T0.plusMillis(1000));
    StoredMessage c2 = message(aliceCarol, 2, alice, carol, T0.plusSeconds(5));
    for (StoredMessage m : List.of(c2, b3, b1, c1, b2)) {
      await(store().add(m));
    }

    ArchiveRange all = ArchiveRange.all(alice, Optional.empty());
    assertThat(ids(await(store().page(all, false, 10)))).containsExactlyElementsOf(
        ids(b1, c1, b2, b3, c2));
    assertThat(ids(await(store().page(all, true, 10)))).containsExactlyElementsOf(
        ids(c2, b3, b2, c1, b1));
    assertThat(ids(await(store().page(all, false, 2)))).containsExactlyElementsOf(ids(b1, c1));
    assertThat(ids(await(store().page(all, true, 2)))).containsExactlyElementsOf(ids(c2, b3));
  }

  @Test
  void aPeerNarrowsTheArchiveToOneChat() {
    StoredMessage b1 = message(aliceBob, 1, alice, bob, T0);
    StoredMessage c1 = message(aliceCarol, 1, carol, alice, T0.plusMillis(1));
    StoredMessage b2 = message(aliceBob, 2, bob, alice, T0.plusMillis(2));
    for (StoredMessage m : List.of(b1, c1, b2)) {
      await(store().add(m));
    }

    assertThat(ids(await(store().page(ArchiveRange.all(alice, Optional.of(bob)), false, 10))))
        .containsExactlyElementsOf(ids(b1, b2));
    assertThat(ids(await(store().page(ArchiveRange.all(alice, Optional.of(carol)), true, 10))))
        .containsExactlyElementsOf(ids(c1));
    assertThat(ids(await(store().page(ArchiveRange.all(bob, Optional.of(alice)), false, 10))))
        .containsExactlyElementsOf(ids(b1, b2));
    assertThat(ids(await(store().page(ArchiveRange.all(bob, Optional.of(carol)), false, 10))))
        .isEmpty();
  }

  @Test
  void boundsAreExclusiveAndTimeBoundsCoverWholeMilliseconds() {
    List<StoredMessage> ms = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      ms.add(message(aliceBob, i, alice, bob, T0.plusSeconds(i)));
    }
    for (StoredMessage m : ms) {
      await(store().add(m));
    }
    ArchivePosition second = ArchivePosition.of(ms.get(1));
    ArchivePosition fifth = ArchivePosition.of(ms.get(4));

    ArchiveRange between = new ArchiveRange(alice, Optional.empty(), second, fifth);
    assertThat(ids(await(store().page(between, false, 10))))
        .containsExactlyElementsOf(ids(ms.get(2), ms.get(3)));

    ArchiveRange byTime = new ArchiveRange(alice, Optional.of(bob),
        ArchivePosition.startOf(T0.plusSeconds(2)), ArchivePosition.endOf(T0.plusSeconds(4)));
    assertThat(ids(await(store().page(byTime, false, 10))))
        .containsExactlyElementsOf(ids(ms.get(1), ms.get(2), ms.get(3)));
    assertThat(ids(await(store().page(byTime, true, 2))))
        .containsExactlyElementsOf(ids(ms.get(3), ms.get(2)));

    ArchiveRange none = new ArchiveRange(alice, Optional.empty(), fifth, second);
    assertThat(await(store().page(none, false, 10))).isEmpty();
  }

  @Test
  void aMessageToOneselfIsInTheArchiveOnce() {
    ChatId self = ChatId.direct(alice, alice);
    StoredMessage m = message(self, 1, alice, alice, T0);

    await(store().add(m));

    assertThat(ids(await(store().page(ArchiveRange.all(alice, Optional.empty()), false, 10))))
        .containsExactly(m.stanzaId());
    assertThat(ids(await(store().page(ArchiveRange.all(alice, Optional.of(alice)), false, 10))))
        .containsExactly(m.stanzaId());
  }
}

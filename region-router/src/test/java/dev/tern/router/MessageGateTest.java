package dev.tern.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.router.accounts.KnownAccounts;
import dev.tern.router.blocking.BlockLists;
import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.WireText;
import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.InMemoryAccountStore;
import dev.tern.storage.blocking.BlockListStore;
import dev.tern.storage.blocking.InMemoryBlockListStore;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The door of the message path: a message to no account (RFC 6121 §8.5.2.1.1) or between users
 * where one blocked the other (XEP-0191 §3.3) goes no further than the gate.
 */
class MessageGateTest {

  private static final String JULIET = "juliet@capulet.lit";
  private static final String ROMEO = "romeo@montague.lit";
  private static final String REPLY = "_INBOX.gate";

  private final PublishedMessages nats = new PublishedMessages();
  private final InMemoryAccountStore accounts = new InMemoryAccountStore();
  private final InMemoryBlockListStore store = new InMemoryBlockListStore();
  private final List<Message> onward = new ArrayList<>();

  MessageGateTest() {
    for (String user : List.of("juliet", "romeo")) {
      accounts.create(new Account(user, Instant.now(), Map.of()));
    }
  }

  private void send(BlockListStore from, String sender, String recipient) {
    new MessageGate(nats.connection, BlockLists.of(from, BlockLists.Settings.DEFAULTS),
        new KnownAccounts(accounts, Clock.systemUTC()))
        .admit(NatsMessage.builder().subject(MessageWire.send("region-a")).replyTo(REPLY)
            .headers(new Headers().add(MessageWire.FROM, WireText.encode(sender))
            .add(MessageWire.TO, WireText.encode(recipient)))
            .data("<message/>".getBytes()).build())
        .thenAccept(admitted -> {
          if (admitted) {
            onward.add(NatsMessage.builder().subject("onward").data(new byte[0]).build());
          }
        });
  }

  @Test
  void aMessageBetweenUsersWhoBlockedNobodyGoesOnUnanswered() {
    send(store, ROMEO + "/orchard", JULIET);

    assertThat(onward).hasSize(1);
    assertThat(nats.published).isEmpty();
  }

  @Test
  void aMessageToAUsernameWithNoAccountIsServiceUnavailableAndGoesNoFurther() {
    send(store, ROMEO + "/orchard", "rosaline@capulet.lit");

    assertThat(onward).isEmpty();
    assertThat(Refusal.from(nats.on(REPLY).get(0).getHeaders()))
        .contains(Refusal.of("service-unavailable", "cancel"));
  }

  @Test
  void aMessageFromAUserTheRecipientBlockedIsServiceUnavailableAndGoesNoFurther() {
    store.block(JULIET, List.of(ROMEO));

    send(store, ROMEO + "/orchard", JULIET);

    assertThat(onward).as("not stored, queued or delivered").isEmpty();
    assertThat(Refusal.from(nats.on(REPLY).get(0).getHeaders()))
        .contains(Refusal.of("service-unavailable", "cancel"));
  }

  @Test
  void aMessageToAUserTheSenderBlockedIsNotAcceptableAndBlocked() {
    store.block(JULIET, List.of(ROMEO));

    send(store, JULIET + "/balcony", ROMEO);

    assertThat(onward).isEmpty();
    assertThat(Refusal.from(nats.on(REPLY).get(0).getHeaders())).contains(
        new Refusal("not-acceptable", "cancel", Optional.of("{urn:xmpp:blocking:errors}blocked")));
  }

  @Test
  void whenTheBlockListsCannotBeReadTheMessageIsNotStoredAndTheSenderMaySendAgain() {
    BlockListStore down = new BlockListStore() {
      @Override
      public CompletionStage<Set<String>> blocked(String user) {
        return CompletableFuture.failedFuture(new IllegalStateException("Cassandra is down"));
      }

      @Override
      public CompletionStage<Void> block(String user, Collection<String> jids) {
        throw new UnsupportedOperationException();
      }

      @Override
      public CompletionStage<Void> unblock(String user, Collection<String> jids) {
        throw new UnsupportedOperationException();
      }

      @Override
      public CompletionStage<Void> unblockAll(String user) {
        throw new UnsupportedOperationException();
      }
    };

    send(down, ROMEO + "/orchard", JULIET);

    assertThat(onward).isEmpty();
    Headers reply = nats.on(REPLY).get(0).getHeaders();
    assertThat(WireText.header(reply, MessageWire.ERROR)).isEqualTo("not stored");
    assertThat(WireText.header(reply, MessageWire.STANZA_ID)).isNull();
  }
}

package dev.tern.router.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.storage.blocking.BlockListStore;
import dev.tern.storage.blocking.InMemoryBlockListStore;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** XEP-0191 §3.3 on the message path: a refused message goes no further than the gate. */
class MessageGateTest {

  private static final String JULIET = "juliet@capulet.lit";
  private static final String ROMEO = "romeo@montague.lit";
  private static final String REPLY = "_INBOX.gate";

  private final PublishedMessages nats = new PublishedMessages();
  private final InMemoryBlockListStore store = new InMemoryBlockListStore();
  private final List<Message> onward = new ArrayList<>();

  private void send(BlockListStore from, String sender, String recipient) {
    new MessageGate(nats.connection, BlockLists.of(from, BlockLists.Settings.DEFAULTS))
        .admit(NatsMessage.builder().subject(MessageWire.send("region-a")).replyTo(REPLY)
            .headers(new Headers().add(MessageWire.FROM, sender).add(MessageWire.TO, recipient))
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
    assertThat(reply.getFirst(MessageWire.ERROR)).isEqualTo("not stored");
    assertThat(reply.getFirst(MessageWire.STANZA_ID)).isNull();
  }
}

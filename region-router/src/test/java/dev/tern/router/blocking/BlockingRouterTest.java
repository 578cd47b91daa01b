package dev.tern.router.blocking;

import dev.tern.router.PublishedMessages;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.WireText;
import dev.tern.routing.blocking.BlockingWire;
import dev.tern.storage.blocking.InMemoryBlockListStore;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The block list requests of the edges, and the checks of IQs between users. */
class BlockingRouterTest {

  private static final String JULIET = "juliet@capulet.lit";
  private static final String ROMEO = "romeo@montague.lit";
  private static final String REPLY = "_INBOX.test";

  private final PublishedMessages nats = new PublishedMessages();
  private final InMemoryBlockListStore store = new InMemoryBlockListStore();
  private final BlockLists lists = BlockLists.of(store, BlockLists.Settings.DEFAULTS);
  private final BlockingRouter router = new BlockingRouter(nats.connection, store, lists);

  private Message list(String op, List<String> jids) {
    nats.published.clear();
    router.onList(NatsMessage.builder().subject(BlockingWire.lists("region-a")).replyTo(REPLY)
        .headers(new Headers().add(MessageWire.USER, JULIET)
        .add(BlockingWire.OP, WireText.encode(op)))
        .data(BlockingWire.encode(jids)).build());
    assertThat(nats.on(REPLY)).hasSize(1);
    return nats.on(REPLY).get(0);
  }

  private Optional<Refusal> check(String from, String to) {
    nats.published.clear();
    router.onCheck(NatsMessage.builder().subject(BlockingWire.check("region-a")).replyTo(REPLY)
        .headers(new Headers().add(MessageWire.FROM, WireText.encode(from))
        .add(MessageWire.TO, WireText.encode(to)))
        .data(new byte[0]).build());
    return Refusal.from(nats.on(REPLY).get(0).getHeaders());
  }

  @Test
  void aBlockIsStoredAnnouncedToEveryRouterAndListed() throws Exception {
    assertThat(lists.blocks(JULIET, ROMEO).toCompletableFuture().get()).isFalse(); // now cached

    Message reply = list(BlockingWire.BLOCK, List.of(ROMEO, "iago@shakespeare.lit"));

    assertThat(Refusal.from(reply.getHeaders())).isEmpty();
    assertThat(nats.on(BlockingWire.CHANGED)).singleElement().satisfies(m ->
        assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo(JULIET));
    assertThat(lists.blocks(JULIET, ROMEO).toCompletableFuture().get())
        .as("this router's copy was dropped").isTrue();
    assertThat(BlockingWire.decode(list(BlockingWire.GET, List.of()).getData()))
        .containsExactlyInAnyOrder(ROMEO, "iago@shakespeare.lit");
  }

  @Test
  void aBlockWithoutItemsIsABadRequest() {
    assertThat(Refusal.from(list(BlockingWire.BLOCK, List.of()).getHeaders()))
        .contains(Refusal.of("bad-request", "modify"));
    assertThat(nats.on(BlockingWire.CHANGED)).isEmpty();
  }

  @Test
  void anUnblockOfSomeKeepsTheOthersAndAnUnblockOfNoneUnblocksAll() {
    list(BlockingWire.BLOCK, List.of(ROMEO, "iago@shakespeare.lit", "tybalt@capulet.lit"));

    list(BlockingWire.UNBLOCK, List.of(ROMEO));
    assertThat(nats.on(BlockingWire.CHANGED)).hasSize(1);
    assertThat(BlockingWire.decode(list(BlockingWire.GET, List.of()).getData()))
        .containsExactlyInAnyOrder("iago@shakespeare.lit", "tybalt@capulet.lit");

    list(BlockingWire.UNBLOCK, List.of());
    assertThat(nats.on(BlockingWire.CHANGED)).hasSize(1);
    assertThat(BlockingWire.decode(list(BlockingWire.GET, List.of()).getData())).isEmpty();
  }

  @Test
  void aListLongerThanTheLimitIsAPolicyViolation() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < BlockingRouter.MAX_ITEMS; i++) {
      many.add("spammer" + i + "@spam.lit");
    }
    assertThat(Refusal.from(list(BlockingWire.BLOCK, many).getHeaders())).isEmpty();

    assertThat(Refusal.from(list(BlockingWire.BLOCK, List.of("one-more@spam.lit")).getHeaders()))
        .contains(Refusal.of("policy-violation", "modify"));
    assertThat(Refusal.from(list(BlockingWire.BLOCK, List.of("spammer1@spam.lit")).getHeaders()))
        .as("blocking one already blocked adds nothing").isEmpty();
  }

  @Test
  void anIqCheckNamesTheErrorXep0191PrescribesForEachDirection() {
    assertThat(check(ROMEO + "/orchard", JULIET + "/balcony")).isEmpty();

    list(BlockingWire.BLOCK, List.of(ROMEO));

    assertThat(check(ROMEO + "/orchard", JULIET + "/balcony"))
        .contains(Refusal.of("service-unavailable", "cancel"));
    assertThat(check(JULIET + "/balcony", ROMEO + "/orchard"))
        .contains(new Refusal("not-acceptable", "cancel",
            Optional.of("{urn:xmpp:blocking:errors}blocked")));
  }

  @Test
  void anUnknownOperationIsABadRequest() {
    assertThat(Refusal.from(list("rename", List.of(ROMEO)).getHeaders()))
        .contains(Refusal.of("bad-request", "modify"));
  }
}

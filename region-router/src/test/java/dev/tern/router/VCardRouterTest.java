package dev.tern.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.router.accounts.KnownAccounts;
import dev.tern.router.blocking.BlockLists;
import dev.tern.router.vcard.VCardRouter;
import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.WireText;
import dev.tern.routing.vcard.VCardWire;
import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.InMemoryAccountStore;
import dev.tern.storage.blocking.InMemoryBlockListStore;
import dev.tern.storage.vcard.InMemoryVCardStore;
import dev.tern.storage.vcard.StoredVCard;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** XEP-0054 on the router: vCards set by their owner, read by anyone blocking lets through. */
class VCardRouterTest {

  private static final String REGION = "region-a";
  private static final String ALICE = "alice@localhost";
  private static final String BOB = "bob@localhost";
  private static final String ALICES = "<vCard xmlns='vcard-temp'><NICKNAME>Al</NICKNAME></vCard>";
  private static final Instant NOW = Instant.parse("2026-12-07T15:00:00Z");

  private final FakeNats nats = new FakeNats();
  private final InMemoryVCardStore vcards = new InMemoryVCardStore();
  private final InMemoryBlockListStore blockLists = new InMemoryBlockListStore();
  private final InMemoryAccountStore accounts = new InMemoryAccountStore();

  @BeforeEach
  void subscribe() {
    new VCardRouter(nats.connection(), vcards,
        BlockLists.of(blockLists, BlockLists.Settings.DEFAULTS),
        new KnownAccounts(accounts, Clock.systemUTC()), Clock.fixed(NOW, ZoneOffset.UTC))
        .subscribe(nats.dispatcher(), REGION);
    for (String user : List.of("alice", "bob")) {
      await(accounts.create(new Account(user, Instant.now(), Map.of())));
    }
  }

  private Message request(String op, String fromFull, String owner, String xml) {
    return nats.request(VCardWire.vcards(REGION), new Headers()
        .add(VCardWire.OP, WireText.encode(op))
        .add(MessageWire.FROM, WireText.encode(fromFull))
        .add(MessageWire.USER, WireText.encode(owner)),
        xml.getBytes(StandardCharsets.UTF_8));
  }

  private static String body(Message reply) {
    return new String(reply.getData(), StandardCharsets.UTF_8);
  }

  @Test
  void theSubjectIsServedInTheRoutersQueueGroup() {
    assertThat(nats.queueSubscribed()).containsExactly(VCardWire.vcards(REGION));
  }

  @Test
  void aUserSetsItsVCardWholeWithTheTimeAndReadsItBack() {
    await(vcards.put(ALICE, "<vCard xmlns='vcard-temp'><FN>Old</FN></vCard>", Instant.EPOCH));

    Message set = request(VCardWire.SET, ALICE + "/phone", ALICE, ALICES);

    assertThat(Refusal.from(set.getHeaders())).isEmpty();
    assertThat(await(vcards.find(ALICE))).contains(new StoredVCard(ALICES, NOW));
    Message get = request(VCardWire.GET, ALICE + "/laptop", ALICE, "");
    assertThat(Refusal.from(get.getHeaders())).isEmpty();
    assertThat(body(get)).isEqualTo(ALICES);
  }

  @Test
  void noVCardIsAnEmptyReplyNotARefusal() {
    Message get = request(VCardWire.GET, ALICE + "/phone", ALICE, "");

    assertThat(Refusal.from(get.getHeaders())).isEmpty();
    assertThat(get.getData()).isEmpty();
  }

  @Test
  void anotherUsersVCardIsPublic() {
    await(vcards.put(ALICE, ALICES, NOW));

    Message get = request(VCardWire.GET, BOB + "/laptop", ALICE, "");

    assertThat(Refusal.from(get.getHeaders())).isEmpty();
    assertThat(body(get)).isEqualTo(ALICES);
  }

  @Test
  void aRequesterTheOwnerBlockedGetsServiceUnavailableAndNothingOfTheVCard() {
    await(vcards.put(ALICE, ALICES, NOW));
    await(blockLists.block(ALICE, List.of(BOB)));

    Message get = request(VCardWire.GET, BOB + "/laptop", ALICE, "");

    assertThat(Refusal.from(get.getHeaders())).contains(Refusal.of("service-unavailable", "cancel"));
    assertThat(get.getData()).isEmpty();
  }

  @Test
  void aRequesterWhoBlockedTheOwnerGetsNotAcceptableWithBlocked() {
    await(blockLists.block(BOB, List.of(ALICE)));

    Message get = request(VCardWire.GET, BOB + "/laptop", ALICE, "");

    assertThat(Refusal.from(get.getHeaders())).contains(new Refusal("not-acceptable", "cancel",
        Optional.of("{urn:xmpp:blocking:errors}blocked")));
  }

  @Test
  void theVCardOfAnAccountThatDoesNotExistIsServiceUnavailable() {
    Message get = request(VCardWire.GET, BOB + "/laptop", "nobody@localhost", "");

    assertThat(Refusal.from(get.getHeaders())).contains(Refusal.of("service-unavailable", "cancel"));
  }

  @Test
  void nobodySetsAnotherUsersVCard() {
    Message set = request(VCardWire.SET, BOB + "/laptop", ALICE, ALICES);

    assertThat(Refusal.from(set.getHeaders())).contains(Refusal.of("forbidden", "auth"));
    assertThat(await(vcards.find(ALICE))).isEmpty();
  }

  @Test
  void aVCardOverTheLimitIsNotAcceptableAndTheOldOneStays() {
    await(vcards.put(ALICE, ALICES, NOW));
    String big = "<vCard xmlns='vcard-temp'><DESC>" + "x".repeat(VCardWire.MAX_BYTES)
        + "</DESC></vCard>";

    Message set = request(VCardWire.SET, ALICE + "/phone", ALICE, big);

    assertThat(Refusal.from(set.getHeaders())).contains(Refusal.of("not-acceptable", "modify"));
    assertThat(await(vcards.find(ALICE))).map(StoredVCard::xml).contains(ALICES);
  }

  @Test
  void aRequestWithoutItsHeadersOrWithAnUnknownOperationIsABadRequest() {
    assertThat(Refusal.from(request(VCardWire.GET, ALICE + "/phone", "localhost", "")
        .getHeaders())).contains(Refusal.of("bad-request", "modify"));
    assertThat(Refusal.from(request("delete", ALICE + "/phone", ALICE, "").getHeaders()))
        .contains(Refusal.of("bad-request", "modify"));
    assertThat(Refusal.from(request(VCardWire.SET, ALICE + "/phone", ALICE, "").getHeaders()))
        .contains(Refusal.of("bad-request", "modify"));
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}

package dev.tern.router.pep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.router.PublishedMessages;
import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.WireText;
import dev.tern.routing.pep.PepWire;
import dev.tern.storage.errors.StoreErrors;
import dev.tern.storage.pep.AccessModel;
import dev.tern.storage.pep.InMemoryPepStore;
import dev.tern.storage.pep.NodeConfig;
import dev.tern.storage.roster.InMemoryRosterStore;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.Subscription;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PEP requests of the edges (XEP-0163 over XEP-0060), over in-memory stores. */
class PepRouterTest {

  private static final String JULIET = "juliet@capulet.lit";
  private static final String ROMEO = "romeo@montague.lit";
  private static final String NURSE = "nurse@capulet.lit";
  private static final String TUNE = "http://jabber.org/protocol/tune";
  private static final String REPLY = "_INBOX.test";

  private final PublishedMessages nats = new PublishedMessages();
  private final InMemoryPepStore store = new InMemoryPepStore();
  private final InMemoryRosterStore rosters = new InMemoryRosterStore();
  private final PepRouter router = new PepRouter(nats.connection, store, rosters,
      StoreErrors.NONE, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

  /** The reply to a request from {@code fromFull} to {@code owner}'s service. */
  private Message request(String fromFull, String owner, String type, String pubsub) {
    nats.published.clear();
    router.onRequest(NatsMessage.builder().subject(PepWire.request("region-a")).replyTo(REPLY)
        .headers(new Headers().add(MessageWire.FROM, WireText.encode(fromFull))
            .add(MessageWire.TO, WireText.encode(owner))
            .add(PepWire.TYPE, WireText.encode(type)))
        .data(pubsub.getBytes(StandardCharsets.UTF_8)).build());
    assertThat(nats.on(REPLY)).hasSize(1);
    return nats.on(REPLY).get(0);
  }

  private static Optional<Refusal> refusal(Message reply) {
    return Refusal.from(reply.getHeaders());
  }

  private static XmlElement result(Message reply) {
    assertThat(refusal(reply)).isEmpty();
    return Xml.parse(new String(reply.getData(), StandardCharsets.UTF_8));
  }

  private static Refusal pubsubError(String condition, String type, String application) {
    return new Refusal(condition, type,
        Optional.of("{http://jabber.org/protocol/pubsub#errors}" + application));
  }

  /** XEP-0163 Example 1, with the item id {@code id}. */
  private static String tune(String id, String title) {
    return "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + TUNE + "'>"
        + "<item id='" + id + "'><tune xmlns='" + TUNE + "'><title>" + title + "</title></tune>"
        + "</item></publish></pubsub>";
  }

  private static String publishWithOptions(String id, String... fields) {
    StringBuilder form = new StringBuilder("<x xmlns='jabber:x:data' type='submit'>"
        + "<field var='FORM_TYPE' type='hidden'><value>"
        + "http://jabber.org/protocol/pubsub#publish-options</value></field>");
    for (int i = 0; i < fields.length; i += 2) {
      form.append("<field var='").append(fields[i]).append("'><value>").append(fields[i + 1])
          .append("</value></field>");
    }
    form.append("</x>");
    return tune(id, "Yesterday").replace("</publish></pubsub>",
        "</publish><publish-options>" + form + "</publish-options></pubsub>");
  }

  private static String items(String extra) {
    return "<pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='" + TUNE + "'"
        + extra + "</pubsub>";
  }

  private static List<String> itemIds(XmlElement pubsub) {
    return pubsub.child("items", "http://jabber.org/protocol/pubsub").orElseThrow().elements()
        .stream().map(i -> i.attribute("id").orElseThrow()).toList();
  }

  private void roster(String owner, String contact, Subscription subscription) {
    rosters.put(owner, new RosterItem(contact, Optional.empty(), Set.of(), subscription,
        false, false)).toCompletableFuture().join();
  }

  @Test
  void aPublishAutoCreatesTheNodeAndAnswersWithTheItemId() {
    XmlElement answer = result(request(JULIET + "/balcony", JULIET, "set",
        tune("bffe6584", "Heart of the Sunrise")));

    assertThat(Xml.serialize(answer)).isEqualTo(Xml.serialize(Xml.parse(
        "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + TUNE + "'>"
            + "<item id='bffe6584'/></publish></pubsub>")));
    assertThat(store.node(JULIET, TUNE).toCompletableFuture().join())
        .contains(NodeConfig.DEFAULT);
    XmlElement items = result(request(JULIET + "/balcony", JULIET, "get", items("/>")));
    assertThat(Xml.serialize(items)).contains("<title>Heart of the Sunrise</title>");
  }

  @Test
  void aPublishWithoutIdGetsOneFromTheService() {
    XmlElement answer = result(request(JULIET + "/balcony", JULIET, "set",
        tune("x", "Roundabout").replace(" id='x'", "")));

    String id = answer.child("publish", "http://jabber.org/protocol/pubsub").orElseThrow()
        .child("item", "http://jabber.org/protocol/pubsub").orElseThrow().attribute("id")
        .orElseThrow();
    assertThat(id).isNotEmpty();
    assertThat(itemIds(result(request(JULIET + "/balcony", JULIET, "get", items("/>")))))
        .containsExactly(id);
  }

  @Test
  void theDefaultNodeKeepsOnlyTheLastItem() {
    request(JULIET + "/balcony", JULIET, "set", tune("a", "One"));
    request(JULIET + "/balcony", JULIET, "set", tune("b", "Two"));

    assertThat(itemIds(result(request(JULIET + "/balcony", JULIET, "get", items("/>")))))
        .containsExactly("b");
  }

  @Test
  void publishOptionsConfigureANewNodeAndAreAPreconditionOnAnExistingOne() {
    result(request(JULIET + "/balcony", JULIET, "set", publishWithOptions("a",
        "pubsub#access_model", "open", "pubsub#max_items", "max")));
    assertThat(store.node(JULIET, TUNE).toCompletableFuture().join())
        .contains(new NodeConfig(AccessModel.OPEN, NodeConfig.MAX_ITEMS, true));

    result(request(JULIET + "/balcony", JULIET, "set", publishWithOptions("b",
        "pubsub#access_model", "open")));
    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set", publishWithOptions("c",
        "pubsub#access_model", "presence"))))
        .contains(pubsubError("conflict", "cancel", "precondition-not-met"));
    assertThat(itemIds(result(request(JULIET + "/balcony", JULIET, "get", items("/>")))))
        .containsExactly("b", "a");
  }

  @Test
  void anOptionThePepServiceCannotMeetIsAnUnmetPrecondition() {
    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set", publishWithOptions("a",
        "pubsub#access_model", "roster"))))
        .contains(pubsubError("conflict", "cancel", "precondition-not-met"));
    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set", publishWithOptions("a",
        "pubsub#max_items", "100000"))))
        .contains(pubsubError("conflict", "cancel", "precondition-not-met"));
    assertThat(store.nodes(JULIET).toCompletableFuture().join()).isEmpty();
  }

  @Test
  void maxItemsOnARetrievalGivesTheNewestAndItemIdsGiveThoseItems() {
    request(JULIET + "/balcony", JULIET, "set", publishWithOptions("a",
        "pubsub#max_items", "10"));
    request(JULIET + "/balcony", JULIET, "set", publishWithOptions("b"));
    request(JULIET + "/balcony", JULIET, "set", publishWithOptions("c"));

    assertThat(itemIds(result(request(JULIET + "/balcony", JULIET, "get",
        items(" max_items='2'/>"))))).containsExactly("c", "b");
    assertThat(itemIds(result(request(JULIET + "/balcony", JULIET, "get",
        items("><item id='a'/></items>"))))).containsExactly("a");
  }

  @Test
  void aContactWithAPresenceSubscriptionReadsAPresenceNodeAndOthersAreNotAuthorized() {
    request(JULIET + "/balcony", JULIET, "set", tune("a", "One"));
    roster(JULIET, ROMEO, Subscription.FROM);
    roster(JULIET, NURSE, Subscription.TO);

    assertThat(itemIds(result(request(ROMEO + "/orchard", JULIET, "get", items("/>")))))
        .containsExactly("a");
    assertThat(refusal(request(NURSE + "/chamber", JULIET, "get", items("/>"))))
        .contains(pubsubError("not-authorized", "auth", "presence-subscription-required"));
    assertThat(refusal(request("iago@shakespeare.lit/pda", JULIET, "get", items("/>"))))
        .contains(pubsubError("not-authorized", "auth", "presence-subscription-required"));
  }

  @Test
  void anOpenNodeIsReadByAnyoneAndAWhitelistNodeOnlyByItsOwner() {
    request(JULIET + "/balcony", JULIET, "set", publishWithOptions("a",
        "pubsub#access_model", "open"));
    assertThat(itemIds(result(request(NURSE + "/chamber", JULIET, "get", items("/>")))))
        .containsExactly("a");

    store.configure(JULIET, TUNE, new NodeConfig(AccessModel.WHITELIST, 1, true))
        .toCompletableFuture().join();
    roster(JULIET, ROMEO, Subscription.BOTH);
    assertThat(refusal(request(ROMEO + "/orchard", JULIET, "get", items("/>"))))
        .contains(pubsubError("not-allowed", "cancel", "closed-node"));
    assertThat(itemIds(result(request(JULIET + "/balcony", JULIET, "get", items("/>")))))
        .containsExactly("a");
  }

  @Test
  void onlyTheOwnerPublishesRetractsOrDeletes() {
    request(JULIET + "/balcony", JULIET, "set", tune("a", "One"));
    roster(JULIET, ROMEO, Subscription.BOTH);

    assertThat(refusal(request(ROMEO + "/orchard", JULIET, "set", tune("b", "Two"))))
        .contains(Refusal.of("forbidden", "auth"));
    assertThat(refusal(request(ROMEO + "/orchard", JULIET, "set",
        "<pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><delete node='" + TUNE
            + "'/></pubsub>"))).contains(Refusal.of("forbidden", "auth"));
    assertThat(itemIds(result(request(JULIET + "/balcony", JULIET, "get", items("/>")))))
        .containsExactly("a");
  }

  @Test
  void theItemsOfAnAbsentNodeAreNotFound() {
    assertThat(refusal(request(ROMEO + "/orchard", JULIET, "get", items("/>"))))
        .contains(Refusal.of("item-not-found", "cancel"));
  }

  @Test
  void aPublishWithoutPayloadOrItemIsABadRequest() {
    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set",
        "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + TUNE + "'>"
            + "<item id='a'/></publish></pubsub>")))
        .contains(pubsubError("bad-request", "modify", "payload-required"));
    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set",
        "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + TUNE + "'/>"
            + "</pubsub>")))
        .contains(pubsubError("bad-request", "modify", "item-required"));
    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set",
        "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish>"
            + "<item id='a'><x xmlns='urn:x'/></item></publish></pubsub>")))
        .contains(pubsubError("bad-request", "modify", "nodeid-required"));
  }

  @Test
  void aRetractRemovesTheItemAndAnAbsentItemIsNotFound() {
    request(JULIET + "/balcony", JULIET, "set", publishWithOptions("a", "pubsub#max_items", "5"));
    request(JULIET + "/balcony", JULIET, "set", publishWithOptions("b"));
    String retract = "<pubsub xmlns='http://jabber.org/protocol/pubsub'><retract node='" + TUNE
        + "'><item id='a'/></retract></pubsub>";

    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set", retract))).isEmpty();
    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set", retract)))
        .contains(Refusal.of("item-not-found", "cancel"));
    assertThat(itemIds(result(request(JULIET + "/balcony", JULIET, "get", items("/>")))))
        .containsExactly("b");
  }

  @Test
  void theOwnerDeletesANode() {
    request(JULIET + "/balcony", JULIET, "set", tune("a", "One"));
    String delete = "<pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><delete node='"
        + TUNE + "'/></pubsub>";

    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set", delete))).isEmpty();
    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set", delete)))
        .contains(Refusal.of("item-not-found", "cancel"));
    assertThat(store.nodes(JULIET).toCompletableFuture().join()).isEmpty();
  }

  @Test
  void discoItemsListTheNodesTheRequesterMayReadAndANodesItemIds() { // XEP-0060 §5.2, §5.5
    roster(JULIET, ROMEO, Subscription.BOTH);
    request(JULIET + "/balcony", JULIET, "set", tune("a", "One"));
    request(JULIET + "/balcony", JULIET, "set", "<pubsub xmlns='http://jabber.org/protocol/pubsub'>"
        + "<create node='urn:example:secret'/><configure><x xmlns='jabber:x:data' type='submit'>"
        + "<field var='FORM_TYPE' type='hidden'><value>"
        + "http://jabber.org/protocol/pubsub#node_config</value></field>"
        + "<field var='pubsub#access_model'><value>whitelist</value></field></x></configure>"
        + "</pubsub>");
    String items = "<query xmlns='http://jabber.org/protocol/disco#items'/>";

    assertThat(Xml.serialize(result(request(JULIET + "/balcony", JULIET, "get", items))))
        .contains("node='" + TUNE + "'").contains("node='urn:example:secret'");
    assertThat(Xml.serialize(result(request(ROMEO + "/orchard", JULIET, "get", items))))
        .contains("jid='" + JULIET + "'").contains("node='" + TUNE + "'")
        .doesNotContain("urn:example:secret");
    assertThat(result(request(NURSE + "/kitchen", JULIET, "get", items)).elements()).isEmpty();

    assertThat(Xml.serialize(result(request(ROMEO + "/orchard", JULIET, "get",
        "<query xmlns='http://jabber.org/protocol/disco#items' node='" + TUNE + "'/>"))))
        .contains("name='a'");
  }

  @Test
  void theOwnerPurgesANodesItemsAndItsContactsAreTold() { // XEP-0060 §8.5
    roster(JULIET, ROMEO, Subscription.BOTH);
    request(JULIET + "/balcony", JULIET, "set", tune("a", "One"));
    request(JULIET + "/balcony", JULIET, "set", tune("b", "Two"));
    String purge = "<pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><purge node='"
        + TUNE + "'/></pubsub>";

    assertThat(refusal(request(ROMEO + "/orchard", JULIET, "set", purge)))
        .contains(Refusal.of("forbidden", "auth"));
    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set", purge))).isEmpty();
    assertThat(Xml.serialize(passedTo(ROMEO).get(0))).contains("<purge node='" + TUNE + "'/>");

    assertThat(itemIds(result(request(JULIET + "/balcony", JULIET, "get", items("/>")))))
        .isEmpty();
    assertThat(store.nodes(JULIET).toCompletableFuture().join()).containsKey(TUNE);
    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set",
        purge.replace(TUNE, "urn:example:none")))).contains(Refusal.of("item-not-found", "cancel"));
  }

  @Test
  void theOwnerReadsAndChangesTheNodeConfiguration() {
    request(JULIET + "/balcony", JULIET, "set", tune("a", "One"));

    XmlElement form = result(request(JULIET + "/balcony", JULIET, "get",
        "<pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><configure node='" + TUNE
            + "'/></pubsub>"));
    assertThat(Xml.serialize(form)).contains("var='pubsub#access_model'")
        .contains("<value>presence</value>").contains("var='pubsub#max_items'");

    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set",
        "<pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><configure node='" + TUNE
            + "'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'>"
            + "<value>http://jabber.org/protocol/pubsub#node_config</value></field>"
            + "<field var='pubsub#access_model'><value>open</value></field></x></configure>"
            + "</pubsub>"))).isEmpty();
    assertThat(store.node(JULIET, TUNE).toCompletableFuture().join())
        .contains(new NodeConfig(AccessModel.OPEN, 1, true));
  }

  @Test
  void aNodeIsCreatedOnceWithItsConfiguration() {
    String create = "<pubsub xmlns='http://jabber.org/protocol/pubsub'><create node='" + TUNE
        + "'/><configure><x xmlns='jabber:x:data' type='submit'><field var='pubsub#max_items'>"
        + "<value>3</value></field></x></configure></pubsub>";

    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set", create))).isEmpty();
    assertThat(store.node(JULIET, TUNE).toCompletableFuture().join())
        .contains(new NodeConfig(AccessModel.PRESENCE, 3, true));
    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set", create)))
        .contains(Refusal.of("conflict", "cancel"));
  }

  @Test
  void subscribingIsNotImplemented() {
    assertThat(refusal(request(ROMEO + "/orchard", JULIET, "set",
        "<pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='" + TUNE
            + "' jid='" + ROMEO + "'/></pubsub>")))
        .contains(Refusal.of("feature-not-implemented", "cancel"));
  }

  // ---- notifications (XEP-0163 §4.3) ----

  private List<XmlElement> passedTo(String bare) {
    return nats.on(MessageWire.user(bare)).stream()
        .map(m -> Xml.parse(new String(m.getData(), StandardCharsets.UTF_8))).toList();
  }

  @Test
  void aPublishIsNotifiedToTheOwnerAndToContactsWithAPresenceSubscriptionForTheEdgesToFilter() {
    roster(JULIET, ROMEO, Subscription.FROM);
    roster(JULIET, NURSE, Subscription.TO);

    request(JULIET + "/balcony", JULIET, "set", tune("bffe6584", "Heart of the Sunrise"));

    assertThat(passedTo(JULIET)).singleElement().satisfies(m -> {
      assertThat(m.attribute("type")).contains("headline");
      assertThat(m.attribute("from")).contains(JULIET);
      assertThat(m.child("filter", PepWire.FILTER_NS)).isPresent();
    });
    assertThat(passedTo(ROMEO)).singleElement().satisfies(m -> {
      assertThat(m.attribute("to")).contains(ROMEO);
      XmlElement items = m.child("event", "http://jabber.org/protocol/pubsub#event").orElseThrow()
          .child("items", "http://jabber.org/protocol/pubsub#event").orElseThrow();
      assertThat(items.attribute("node")).contains(TUNE);
      XmlElement item = items.elements().get(0);
      assertThat(item.attribute("id")).contains("bffe6584");
      assertThat(Xml.serialize(item)).contains("<title>Heart of the Sunrise</title>");
      assertThat(m.child("filter", PepWire.FILTER_NS)).isPresent();
    });
    assertThat(passedTo(NURSE)).isEmpty();
  }

  @Test
  void aWhitelistNodeIsNotifiedOnlyToTheOwner() {
    roster(JULIET, ROMEO, Subscription.BOTH);

    request(JULIET + "/balcony", JULIET, "set", publishWithOptions("a",
        "pubsub#access_model", "whitelist"));

    assertThat(passedTo(JULIET)).hasSize(1);
    assertThat(passedTo(ROMEO)).isEmpty();
  }

  @Test
  void aRetractWithNotifyAndADeleteAreNotified() {
    roster(JULIET, ROMEO, Subscription.BOTH);
    request(JULIET + "/balcony", JULIET, "set", tune("a", "One"));

    request(JULIET + "/balcony", JULIET, "set", "<pubsub xmlns='http://jabber.org/protocol/pubsub'>"
        + "<retract node='" + TUNE + "' notify='true'><item id='a'/></retract></pubsub>");
    assertThat(Xml.serialize(passedTo(ROMEO).get(0))).contains("<retract id='a'/>");

    request(JULIET + "/balcony", JULIET, "set",
        "<pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><delete node='" + TUNE
            + "'/></pubsub>");
    assertThat(Xml.serialize(passedTo(ROMEO).get(0))).contains("<delete node='" + TUNE + "'/>");
  }

  private void last(String fromFull, String... nodes) {
    nats.published.clear();
    router.onLast(NatsMessage.builder().subject(PepWire.last("region-a")).replyTo(REPLY)
        .headers(new Headers().add(MessageWire.FROM, WireText.encode(fromFull)))
        .data(PepWire.encodeNodes(List.of(nodes))).build());
    assertThat(nats.on(REPLY)).singleElement()
        .satisfies(r -> assertThat(refusal(r)).isEmpty());
  }

  @Test
  void aSessionComingOnlineGetsTheLastItemOfTheNodesItWantsFromContactsItMayRead() {
    roster(JULIET, ROMEO, Subscription.FROM);
    roster(ROMEO, JULIET, Subscription.TO);
    request(JULIET + "/balcony", JULIET, "set", tune("a", "One"));
    request(JULIET + "/balcony", JULIET, "set", tune("b", "Two"));
    request(JULIET + "/balcony", JULIET, "set",
        "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='urn:xmpp:avatar:metadata'>"
            + "<item id='av'><metadata xmlns='urn:xmpp:avatar:metadata'/></item></publish>"
            + "</pubsub>");

    last(ROMEO + "/orchard", TUNE, "http://jabber.org/protocol/geoloc");

    assertThat(passedTo(ROMEO)).singleElement().satisfies(m -> {
      assertThat(m.attribute("to")).contains(ROMEO + "/orchard");
      assertThat(m.attribute("from")).contains(JULIET);
      assertThat(Xml.serialize(m)).contains("<item id='b'>").doesNotContain("<item id='a'>")
          .doesNotContain("urn:xmpp:avatar:metadata");
      assertThat(m.child("filter", PepWire.FILTER_NS)).isEmpty();
    });
    assertThat(WireText.header(nats.on(MessageWire.user(ROMEO)).get(0).getHeaders(),
        MessageWire.TO))
        .isEqualTo(ROMEO + "/orchard");
  }

  @Test
  void theLastItemIsNotSentToAContactTheNodeIsClosedTo() {
    roster(JULIET, ROMEO, Subscription.NONE);
    roster(ROMEO, JULIET, Subscription.TO); // Romeo's roster says more than Juliet's
    request(JULIET + "/balcony", JULIET, "set", tune("a", "One"));

    last(ROMEO + "/orchard", TUNE);

    assertThat(passedTo(ROMEO)).isEmpty();
  }

  @Test
  void theOwnersOwnSessionsGetTheirLastItemsToo() {
    request(JULIET + "/balcony", JULIET, "set", tune("a", "One"));

    last(JULIET + "/chamber", TUNE);

    assertThat(passedTo(JULIET)).singleElement()
        .satisfies(m -> assertThat(m.attribute("to")).contains(JULIET + "/chamber"));
  }

  @Test
  void aNodesDiscoInfoIsALeafForThoseWhoMayReadIt() {
    request(JULIET + "/balcony", JULIET, "set", tune("a", "One"));
    roster(JULIET, ROMEO, Subscription.FROM);
    String info = "<query xmlns='http://jabber.org/protocol/disco#info' node='" + TUNE + "'/>";

    String answer = Xml.serialize(result(request(ROMEO + "/orchard", JULIET, "get", info)));
    assertThat(answer).contains("category='pubsub'").contains("type='leaf'")
        .contains("node='" + TUNE + "'");
    assertThat(refusal(request(NURSE + "/chamber", JULIET, "get", info)))
        .contains(pubsubError("not-authorized", "auth", "presence-subscription-required"));
    assertThat(refusal(request(ROMEO + "/orchard", JULIET, "get",
        info.replace(TUNE, "urn:xmpp:avatar:data")))).contains(Refusal.of("item-not-found", "cancel"));
  }

  @Test
  void anAccountHasAtMostMaxNodes() {
    for (int i = 0; i < Pep.MAX_NODES; i++) {
      store.configure(JULIET, "node-" + i, NodeConfig.DEFAULT).toCompletableFuture().join();
    }

    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set", tune("a", "One"))))
        .contains(pubsubError("not-allowed", "cancel", "max-nodes-exceeded"));
    assertThat(refusal(request(JULIET + "/balcony", JULIET, "set",
        "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='node-7'><item id='a'>"
            + "<x xmlns='urn:x'/></item></publish></pubsub>"))).isEmpty();
  }
}

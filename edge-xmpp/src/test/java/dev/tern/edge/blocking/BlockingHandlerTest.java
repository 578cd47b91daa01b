package dev.tern.edge.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRegistry;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.edge.codec.TestXml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** XEP-0191 §3 with the XEP's own examples, against a block list kept in memory. */
class BlockingHandlerTest {

  private static final Jid JULIET = Jid.of("juliet", "capulet.com", "chamber");

  /** The routers' lists in memory, and the pushes sent. */
  static final class FakeClient implements BlockingClient {
    final TreeSet<String> list = new TreeSet<>();
    final List<String> pushedTo = new ArrayList<>();
    final List<XmlElement> pushes = new ArrayList<>();

    @Override
    public CompletionStage<List<String>> blocklist(String user) {
      return CompletableFuture.completedFuture(List.copyOf(list));
    }

    @Override
    public CompletionStage<Void> block(String user, List<String> jids) {
      list.addAll(jids);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> unblock(String user, List<String> jids) {
      if (jids.isEmpty()) {
        list.clear();
      } else {
        jids.forEach(list::remove);
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void push(String user, XmlElement iq) {
      pushedTo.add(user);
      pushes.add(iq);
    }
  }

  private final FakeClient client = new FakeClient();
  private final IqRegistry registry = new IqRegistry();

  BlockingHandlerTest() {
    BlockingHandler.all(client).forEach(registry::register);
  }

  private Optional<XmlElement> send(String iqXml) throws Exception {
    XmlElement iq = TestXml.parse(iqXml);
    XmlElement payload = iq.elements().get(0);
    IqHandler handler = registry.find(iq.attribute("type").orElseThrow(), payload.name(),
        payload.namespace(), IqRegistration.Addressing.SERVER).orElseThrow();
    return handler.handle(new IqRequest(iq, payload, Optional.of(JULIET), true))
        .toCompletableFuture().get();
  }

  private static IqError refusal(ThrowingCallable call) {
    try {
      call.call();
    } catch (IqError e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("not an IqError", e);
    }
    throw new AssertionError("not refused");
  }

  interface ThrowingCallable {
    void call() throws Exception;
  }

  @Test
  void theServerAdvertisesTheBlockingCommand() {
    // Example 2
    assertThat(registry.features(IqRegistration.Addressing.SERVER)).contains("urn:xmpp:blocking");
  }

  @Test
  void anEmptyBlockListIsAnEmptyBlocklistElement() throws Exception {
    // Examples 3 and 5
    assertThat(send("<iq xmlns='jabber:client' type='get' id='blocklist1'>"
        + "<blocklist xmlns='urn:xmpp:blocking'/></iq>"))
        .contains(TestXml.parse("<blocklist xmlns='urn:xmpp:blocking'/>"));
  }

  @Test
  void aBlockIsAnsweredWithAnEmptyResultListedAndPushedToEverySessionOfTheUser()
      throws Exception {
    // Examples 6 and 7
    assertThat(send("<iq xmlns='jabber:client' from='juliet@capulet.com/chamber' type='set'"
        + " id='block1'><block xmlns='urn:xmpp:blocking'><item jid='romeo@montague.net'/>"
        + "<item jid='iago@shakespeare.lit'/></block></iq>")).isEmpty();

    assertThat(client.pushedTo).containsExactly("juliet@capulet.com");
    XmlElement push = client.pushes.get(0);
    assertThat(push.attribute("type")).contains("set");
    assertThat(push.attribute("id")).isPresent();
    assertThat(push.elements()).containsExactly(TestXml.parse("<block xmlns='urn:xmpp:blocking'>"
        + "<item jid='romeo@montague.net'/><item jid='iago@shakespeare.lit'/></block>"));
    // Example 4
    assertThat(send("<iq xmlns='jabber:client' type='get' id='blocklist1'>"
        + "<blocklist xmlns='urn:xmpp:blocking'/></iq>"))
        .contains(TestXml.parse("<blocklist xmlns='urn:xmpp:blocking'>"
            + "<item jid='iago@shakespeare.lit'/><item jid='romeo@montague.net'/></blocklist>"));
  }

  @Test
  void blockedJidsAreKeptInTheirCanonicalForm() throws Exception {
    send("<iq xmlns='jabber:client' type='set' id='b'><block xmlns='urn:xmpp:blocking'>"
        + "<item jid='Romeo@Montague.NET/Orchard'/><item jid='MONTAGUE.net'/></block></iq>");

    assertThat(client.list).containsExactly("montague.net", "romeo@montague.net/Orchard");
  }

  @Test
  void aBlockWithoutItemsIsABadRequestAndChangesNothing() {
    IqError e = refusal(() -> send("<iq xmlns='jabber:client' type='set' id='block1'>"
        + "<block xmlns='urn:xmpp:blocking'/></iq>"));

    assertThat(e.condition()).isEqualTo(StanzaErrorCondition.BAD_REQUEST);
    assertThat(client.pushes).isEmpty();
  }

  @Test
  void aMalformedJidIsJidMalformedAndBlocksNothing() {
    IqError e = refusal(() -> send("<iq xmlns='jabber:client' type='set' id='block1'>"
        + "<block xmlns='urn:xmpp:blocking'><item jid='romeo@montague.net'/>"
        + "<item jid='@montague.net'/></block></iq>"));

    assertThat(e.condition()).isEqualTo(StanzaErrorCondition.JID_MALFORMED);
    assertThat(client.list).isEmpty();
  }

  @Test
  void anItemWithoutJidIsABadRequest() {
    assertThat(refusal(() -> send("<iq xmlns='jabber:client' type='set' id='u'>"
        + "<unblock xmlns='urn:xmpp:blocking'><item/></unblock></iq>")).condition())
        .isEqualTo(StanzaErrorCondition.BAD_REQUEST);
  }

  @Test
  void moreItemsThanALimitAtOnceAreAPolicyViolation() {
    StringBuilder iq = new StringBuilder("<iq xmlns='jabber:client' type='set' id='b'>"
        + "<block xmlns='urn:xmpp:blocking'>");
    for (int i = 0; i <= BlockingHandler.MAX_ITEMS_PER_REQUEST; i++) {
      iq.append("<item jid='spammer").append(i).append("@spam.lit'/>");
    }
    iq.append("</block></iq>");

    assertThat(refusal(() -> send(iq.toString())).condition())
        .isEqualTo(StanzaErrorCondition.POLICY_VIOLATION);
  }

  @Test
  void anUnblockRemovesTheItemsAndIsPushed() throws Exception {
    client.list.addAll(List.of("romeo@montague.net", "iago@shakespeare.lit"));

    // Examples 10 and 12
    assertThat(send("<iq xmlns='jabber:client' type='set' id='unblock1'>"
        + "<unblock xmlns='urn:xmpp:blocking'><item jid='romeo@montague.net'/></unblock></iq>"))
        .isEmpty();

    assertThat(client.list).containsExactly("iago@shakespeare.lit");
    assertThat(client.pushes.get(0).elements()).containsExactly(TestXml.parse(
        "<unblock xmlns='urn:xmpp:blocking'><item jid='romeo@montague.net'/></unblock>"));
  }

  @Test
  void anEmptyUnblockUnblocksAllAndIsPushedEmpty() throws Exception {
    client.list.addAll(List.of("romeo@montague.net", "iago@shakespeare.lit"));

    // Examples 13 and 15
    send("<iq xmlns='jabber:client' type='set' id='unblock2'>"
        + "<unblock xmlns='urn:xmpp:blocking'/></iq>");

    assertThat(client.list).isEmpty();
    assertThat(client.pushes.get(0).elements())
        .containsExactly(TestXml.parse("<unblock xmlns='urn:xmpp:blocking'/>"));
  }

  @Test
  void theOwnBareJidAddressesTheSameHandlers() {
    assertThat(registry.find("get", "blocklist", "urn:xmpp:blocking",
        IqRegistration.Addressing.OWN_ACCOUNT)).isPresent();
    assertThat(registry.find("set", "block", "urn:xmpp:blocking",
        IqRegistration.Addressing.OWN_ACCOUNT)).isPresent();
    assertThat(registry.find("set", "blocklist", "urn:xmpp:blocking",
        IqRegistration.Addressing.SERVER)).as("a set of the list is not a command").isEmpty();
  }
}

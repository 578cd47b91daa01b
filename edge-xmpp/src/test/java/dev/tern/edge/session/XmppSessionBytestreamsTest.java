package dev.tern.edge.session;

import static dev.tern.edge.session.TestClient.errorCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.edge.bytestreams.Bytestreams;
import dev.tern.edge.bytestreams.ProxyService;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.XmlElement;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * XEP-0065's proxy as a user's session sees it: found in the server's disco#items, described by
 * its disco#info, telling where to connect, and activating only the bytestream whose hash names
 * the sender as its initiator.
 */
class XmppSessionBytestreamsTest {

  private static final String INFO = "http://jabber.org/protocol/disco#info";
  private static final String ITEMS = "http://jabber.org/protocol/disco#items";
  private static final String BYTESTREAMS = "http://jabber.org/protocol/bytestreams";

  private final TestEdge edge = TestEdge.create().account("alice", "secret");
  private final TestClient alice = edge.webSocket().login("alice", "secret", "phone");

  @Test
  void theServersItemsListTheProxyWhichDescribesItself() { // XEP-0065 §4, examples 4 to 7
    alice.send("<iq type='get' id='i1' to='localhost'><query xmlns='" + ITEMS + "'/></iq>");
    XmlElement items = alice.next().child("query", ITEMS).orElseThrow();
    assertThat(items.elements()).anySatisfy(i ->
        assertThat(i.attribute("jid")).contains("proxy.localhost"));

    alice.send("<iq type='get' id='i2' to='proxy.localhost'><query xmlns='" + INFO + "'/></iq>");
    XmlElement info = alice.next();
    assertThat(info.attribute("from")).contains("proxy.localhost");
    XmlElement query = info.child("query", INFO).orElseThrow();
    assertThat(query.child("identity", INFO).orElseThrow().attributes())
        .containsEntry("category", "proxy").containsEntry("type", "bytestreams");
    assertThat(query.elements()).anySatisfy(f ->
        assertThat(f.attribute("var")).contains(BYTESTREAMS));
  }

  @Test
  void theProxyTellsWhereToConnect() { // §4, examples 8 and 9
    alice.send("<iq type='get' id='s1' to='proxy.localhost'><query xmlns='" + BYTESTREAMS
        + "'/></iq>");

    XmlElement host = alice.next().child("query", BYTESTREAMS).orElseThrow()
        .child("streamhost", BYTESTREAMS).orElseThrow();
    assertThat(host.attributes()).containsEntry("jid", "proxy.localhost")
        .containsEntry("host", "127.0.0.1").containsEntry("port", "7777");
  }

  @Test
  void theInitiatorActivatesItsBytestreamOnceBothSidesAreConnected() throws Exception {
    Jid bob = Jid.parse("bob@localhost/laptop");
    String hash = ProxyService.hash("s5", Jid.parse("alice@localhost/phone"), bob);
    String activate = "<iq type='set' id='a%d' to='proxy.localhost'><query xmlns='" + BYTESTREAMS
        + "' sid='s5'><activate>bob@localhost/laptop</activate></query></iq>";
    alice.send(activate.formatted(1));
    assertThat(errorCondition(alice.next())).isEqualTo("not-allowed"); // no one connected

    EmbeddedChannel target = new EmbeddedChannel();
    EmbeddedChannel initiator = new EmbeddedChannel();
    assertThat(edge.bytestreams().connected(hash, target)).isTrue();
    alice.send(activate.formatted(2));
    assertThat(errorCondition(alice.next())).isEqualTo("not-allowed"); // only the target

    assertThat(edge.bytestreams().connected(hash, initiator)).isTrue();
    alice.send(activate.formatted(3));
    assertThat(alice.next().attribute("type")).contains("result");
  }

  @Test
  void anotherUserCannotActivateSomeoneElsesBytestream() throws Exception {
    // alice names bob's bytestream with carol as its initiator: the hash she makes is not it.
    String carols = ProxyService.hash("s6", Jid.parse("carol@localhost/pc"),
        Jid.parse("bob@localhost/laptop"));
    edge.bytestreams().connected(carols, new EmbeddedChannel());
    edge.bytestreams().connected(carols, new EmbeddedChannel());

    alice.send("<iq type='set' id='a1' to='proxy.localhost'><query xmlns='" + BYTESTREAMS
        + "' sid='s6'><activate>bob@localhost/laptop</activate></query></iq>");

    assertThat(errorCondition(alice.next())).isEqualTo("not-allowed");
    assertThat(edge.bytestreams().activate(carols)).isEqualTo(Bytestreams.Activation.ACTIVATED);
  }

  @Test
  void anActivationWithoutSidOrTargetIsABadRequest() {
    alice.send("<iq type='set' id='b1' to='proxy.localhost'><query xmlns='" + BYTESTREAMS
        + "'><activate>bob@localhost/laptop</activate></query></iq>");

    assertThat(errorCondition(alice.next())).isEqualTo("bad-request");
  }

  @Test
  void whatTheProxyDoesNotKnowIsServiceUnavailable() {
    alice.send("<iq type='get' id='p1' to='proxy.localhost'><ping xmlns='urn:xmpp:ping'/></iq>");

    assertThat(errorCondition(alice.next())).isEqualTo("service-unavailable");
  }
}

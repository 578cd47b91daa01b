package dev.tern.edge.mam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.routing.mam.MamFailure;
import dev.tern.routing.mam.MamPage;
import dev.tern.routing.mam.MamRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MamHandlerTest {

  private static final Jid JULIET = Jid.of("juliet", "capulet.lit", "balcony");
  private static final Instant T = Instant.parse("2025-05-01T12:00:00.250Z");

  private final List<XmlElement> sent = new ArrayList<>();
  private final AtomicReference<MamRequest> asked = new AtomicReference<>();

  private IqRequest iq(String type, String query) {
    XmlElement iq = Xml.parse("<iq xmlns='jabber:client' type='" + type
        + "' id='q29302'>" + query + "</iq>");
    return new IqRequest(iq, iq.elements().get(0), Optional.of(JULIET), true, sent::add);
  }

  private MamHandler answering(MamPage page) {
    return new MamHandler(q -> {
      asked.set(q);
      return CompletableFuture.completedFuture(page);
    });
  }

  @Test
  void theHandlerAnswersTheAccountAndAdvertisesMamAndItsExtendedQueries() {
    var r = answering(new MamPage(List.of(), true)).registration();

    assertThat(r.types()).containsExactlyInAnyOrder("get", "set");
    assertThat(r.features()).containsExactly("urn:xmpp:mam:2", "urn:xmpp:mam:2#extended");
    assertThat(r.addressing()).isEqualTo(dev.tern.edge.iq.IqRegistration.Addressing.OWN_ACCOUNT);
  }

  @Test
  void eachResultIsForwardedWithItsDelayBeforeTheFinCarryingFirstAndLast() throws Exception {
    MamPage page = new MamPage(List.of(
        new MamPage.Result("id-1", T, "<message xmlns='jabber:client' from='romeo@montague.lit/o'"
            + " to='juliet@capulet.lit' type='chat'><body>Hail</body></message>"),
        new MamPage.Result("id-2", T.plusSeconds(1), "<message xmlns='jabber:client'"
            + " from='juliet@capulet.lit/balcony' to='romeo@montague.lit' type='chat'>"
            + "<body>Hi</body></message>")), false);

    Optional<XmlElement> fin = answering(page).handle(iq("set",
        "<query xmlns='urn:xmpp:mam:2' queryid='f27'/>")).toCompletableFuture().get();

    assertThat(asked.get()).isEqualTo(MamRequest.all("juliet@capulet.lit"));
    assertThat(sent).hasSize(2);
    XmlElement first = sent.get(0);
    assertThat(first.attribute("to")).contains("juliet@capulet.lit/balcony");
    XmlElement result = first.child("result", "urn:xmpp:mam:2").orElseThrow();
    assertThat(result.attribute("queryid")).contains("f27");
    assertThat(result.attribute("id")).contains("id-1");
    XmlElement forwarded = result.child("forwarded", "urn:xmpp:forward:0").orElseThrow();
    assertThat(forwarded.child("delay", "urn:xmpp:delay").orElseThrow().attribute("stamp"))
        .contains("2025-05-01T12:00:00.250Z");
    assertThat(forwarded.child("message", "jabber:client").orElseThrow()
        .child("body", "jabber:client").orElseThrow().text()).isEqualTo("Hail");

    XmlElement f = fin.orElseThrow();
    assertThat(f.name()).isEqualTo("fin");
    assertThat(f.attribute("complete")).contains("false");
    XmlElement set = f.child("set", "http://jabber.org/protocol/rsm").orElseThrow();
    assertThat(set.child("first", "http://jabber.org/protocol/rsm").orElseThrow().text())
        .isEqualTo("id-1");
    assertThat(set.child("last", "http://jabber.org/protocol/rsm").orElseThrow().text())
        .isEqualTo("id-2");
  }

  @Test
  void anEmptyPageIsACompleteFinWithAnEmptySet() throws Exception {
    XmlElement fin = answering(new MamPage(List.of(), true)).handle(iq("set",
        "<query xmlns='urn:xmpp:mam:2'/>")).toCompletableFuture().get().orElseThrow();

    assertThat(sent).isEmpty();
    assertThat(fin.attribute("complete")).contains("true");
    assertThat(fin.child("set", "http://jabber.org/protocol/rsm").orElseThrow().elements())
        .isEmpty();
  }

  @Test
  void anUnknownIdIsItemNotFound() {
    MamHandler h = new MamHandler(q -> CompletableFuture.failedFuture(
        new MamFailure(MamFailure.Reason.ITEM_NOT_FOUND, "")));

    assertThatThrownBy(() -> h.handle(iq("set", "<query xmlns='urn:xmpp:mam:2'>"
            + "<set xmlns='http://jabber.org/protocol/rsm'><after>nope</after></set></query>"))
            .toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(IqError.class,
            e -> assertThat(e.condition()).isEqualTo(StanzaErrorCondition.ITEM_NOT_FOUND));
  }

  @Test
  void getReturnsTheQueryFormWithEveryFieldTheQueriesMayUse() throws Exception {
    XmlElement query = answering(new MamPage(List.of(), true))
        .handle(iq("get", "<query xmlns='urn:xmpp:mam:2'/>")).toCompletableFuture().get()
        .orElseThrow();

    XmlElement x = query.child("x", "jabber:x:data").orElseThrow();
    assertThat(x.attribute("type")).contains("form");
    assertThat(x.elements()).extracting(e -> e.attribute("var").orElse(""))
        .containsExactly("FORM_TYPE", "with", "start", "end", "after-id", "before-id", "ids");
  }
}

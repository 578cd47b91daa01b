package dev.tern.edge.im;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.edge.codec.TestXml;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.edge.im.EdgeMessaging.Refused;
import dev.tern.routing.Refusal;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A router's refusal, answered to the client as the stanza error it names. */
class RefusedTest {

  private static final XmlElement JULIETS_MESSAGE = TestXml.parse(
      "<message xmlns='jabber:client' from='juliet@capulet.com/balcony' to='romeo@montague.net'"
          + " type='chat' id='m1'><body>Can you hear me now?</body></message>");

  @Test
  void aMessageToABlockedContactIsAnsweredAsXep0191Example9() {
    Refused refused = new Refused(
        new Refusal("not-acceptable", "cancel", Optional.of("{urn:xmpp:blocking:errors}blocked")));

    XmlElement reply = refused.errorReply(JULIETS_MESSAGE);

    assertThat(reply).isEqualTo(TestXml.parse("<message xmlns='jabber:client'"
        + " from='romeo@montague.net' to='juliet@capulet.com/balcony' type='error' id='m1'>"
        + "<body>Can you hear me now?</body><error type='cancel'>"
        + "<not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
        + "<blocked xmlns='urn:xmpp:blocking:errors'/></error></message>"));
  }

  @Test
  void aMessageToAUserWhoBlockedTheSenderIsServiceUnavailable() {
    XmlElement reply = new Refused(Refusal.of("service-unavailable", "cancel"))
        .errorReply(JULIETS_MESSAGE);

    assertThat(reply).isEqualTo(TestXml.parse("<message xmlns='jabber:client'"
        + " from='romeo@montague.net' to='juliet@capulet.com/balcony' type='error' id='m1'>"
        + "<body>Can you hear me now?</body><error type='cancel'>"
        + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
        + "</error></message>"));
  }

  @Test
  void anUnknownConditionIsUndefinedAndAnUnknownTypeTheConditionsOwn() {
    XmlElement error = new Refused(Refusal.of("no-such-condition", "sometimes"))
        .errorReply(JULIETS_MESSAGE).elements().get(1);

    assertThat(error.attribute("type")).contains("modify");
    assertThat(error.elements().get(0).name()).isEqualTo("undefined-condition");
  }

  @Test
  void theRefusalIsFoundBehindAStagesCompletionException() {
    Refused refused = new Refused(Refusal.of("service-unavailable", "cancel"));
    CompletableFuture<Void> failed = CompletableFuture.failedFuture(refused);
    Throwable seen = failed.thenApply(v -> v).handle((v, e) -> e).join();

    assertThat(seen).isInstanceOf(CompletionException.class);
    assertThat(Refused.of(seen)).containsSame(refused);
    assertThat(Refused.of(new IllegalStateException("timeout"))).isEmpty();
    assertThat(Refused.of(null)).isEmpty();
  }
}

package dev.tern.edge.sm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.directory.sm.InMemoryResumptionStore;
import dev.tern.directory.sm.ResumableSession;
import dev.tern.directory.sm.ResumptionStore;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlWriter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Alice's phone enables a resumable stream on edge A, loses its connection, and resumes on
 * edge B of the same region: both edges share the region's resumption store.
 */
class ResumptionTest {

  private static final String ALICE = "alice@example.com";
  private static final String PHONE = ALICE + "/phone";

  /** A clock that moves only when the test says so. */
  private static final class TestClock extends Clock {
    private Instant now = Instant.parse("2025-06-01T12:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public synchronized Instant instant() {
      return now;
    }

    synchronized void advance(Duration time) {
      now = now.plus(time);
    }
  }

  private final TestClock clock = new TestClock();
  private final ResumptionStore store = new InMemoryResumptionStore(clock, Duration.ofMinutes(1));
  private final Resumption edgeA = new Resumption(store, Resumption.Settings.DEFAULTS);
  private final Resumption edgeB = new Resumption(store, Resumption.Settings.DEFAULTS);

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static XmlElement message(int n) {
    return XmlElement.builder("message", "jabber:client").attribute("to", PHONE)
        .attribute("from", "bob@example.com/desk").attribute("id", "m" + n)
        .child(XmlElement.builder("body", "jabber:client").text("message " + n).build())
        .build();
  }

  /** What edge A holds for Alice's stream once she enabled resumption. */
  private static final class Stream {
    final ResumableSession session;
    final OutboundQueue queue;
    final AckCounter inbound;

    Stream(ResumableSession session, OutboundQueue queue, AckCounter inbound) {
      this.session = session;
      this.queue = queue;
      this.inbound = inbound;
    }
  }

  private Stream enableOnA() {
    Resumption.Enabling enabling = await(edgeA.enable(
        new StreamManagement.Enable(true, OptionalLong.empty()), ALICE, PHONE));
    return new Stream(enabling.session().orElseThrow(),
        new OutboundQueue(OutboundQueue.Limits.DEFAULTS), new AckCounter());
  }

  /** The edge sends a stanza on a managed stream: queued, and stored for other edges. */
  private boolean send(Stream stream, XmlElement stanza) throws OutboundQueueFullException {
    String xml = Xml.serialize(stanza);
    stream.queue.add(xml);
    return await(store.appendUnacked(stream.session.id(), stream.session.lease(), xml));
  }

  /** The client acknowledges {@code h}. */
  private void clientAcks(Stream stream, long h) throws HandledCountTooHighException {
    stream.queue.ack(h);
    await(store.ack(stream.session.id(), stream.session.lease(), h));
  }

  /** The edge handled a stanza from the client. */
  private void handledFromClient(Stream stream) {
    long h = stream.inbound.increment();
    await(store.handled(stream.session.id(), stream.session.lease(), h));
  }

  @Test
  void enablingWithoutResumeGivesAcksOnly() {
    Resumption.Enabling enabling = await(edgeA.enable(
        new StreamManagement.Enable(false, OptionalLong.empty()), ALICE, PHONE));

    assertThat(enabling.session()).isEmpty();
    assertThat(XmlWriter.toXml(enabling.enabled().toElement(), "jabber:client"))
        .isEqualTo("<enabled xmlns='urn:xmpp:sm:3'/>");
  }

  @Test
  void aResumableStreamGetsAnUnguessableIdAndTheServersResumptionTime() {
    Resumption.Enabling first = await(edgeA.enable(
        new StreamManagement.Enable(true, OptionalLong.empty()), ALICE, PHONE));
    Resumption.Enabling second = await(edgeA.enable(
        new StreamManagement.Enable(true, OptionalLong.empty()), ALICE, PHONE));

    StreamManagement.Enabled enabled = first.enabled();
    assertThat(enabled.resume()).isTrue();
    assertThat(enabled.max()).hasValue(300);
    assertThat(enabled.id()).hasValueSatisfying(id -> assertThat(id).matches("[A-Za-z0-9_-]{32}"));
    assertThat(second.enabled().id()).isNotEqualTo(enabled.id());
    assertThat(first.session().orElseThrow().ownerBareJid()).isEqualTo(ALICE);
    assertThat(first.session().orElseThrow().id()).isEqualTo(enabled.id().orElseThrow());
  }

  @Test
  void theClientsShorterResumptionTimeIsGrantedALongerOneIsCutToTheServers() {
    assertThat(await(edgeA.enable(new StreamManagement.Enable(true, OptionalLong.of(60)),
        ALICE, PHONE)).enabled().max()).hasValue(60);
    assertThat(await(edgeA.enable(new StreamManagement.Enable(true, OptionalLong.of(86_400)),
        ALICE, PHONE)).enabled().max()).hasValue(300);
    assertThat(await(edgeA.enable(new StreamManagement.Enable(true, OptionalLong.of(0)),
        ALICE, PHONE)).enabled().max()).hasValue(1);
  }

  @Test
  void theLocationTellsClientsWhereToResume() {
    Resumption edge = new Resumption(store, new Resumption.Settings(Duration.ofMinutes(5),
        OutboundQueue.Limits.DEFAULTS, Optional.of("xmpp.region-a.example.com:5222")));

    assertThat(await(edge.enable(new StreamManagement.Enable(true, OptionalLong.empty()),
        ALICE, PHONE)).enabled().location()).contains("xmpp.region-a.example.com:5222");
  }

  @Test
  void aStreamEnabledOnOneEdgeIsResumedOnAnotherWithWhatTheClientMissed() throws Exception {
    Stream onA = enableOnA();
    handledFromClient(onA);
    handledFromClient(onA);
    for (int n = 1; n <= 3; n++) {
      send(onA, message(n));
    }
    clientAcks(onA, 1);
    await(store.detach(onA.session.id(), onA.session.lease())); // Alice's connection drops

    // Alice got message 2 before the drop, but had not acknowledged it.
    Resumption.Outcome outcome = await(edgeB.resume(
        new StreamManagement.Resume(onA.session.id(), 2), ALICE));

    assertThat(outcome).isInstanceOfSatisfying(Resumption.Accepted.class, accepted -> {
      assertThat(XmlWriter.toXml(accepted.resumed().toElement(), "jabber:client")).isEqualTo(
          "<resumed xmlns='urn:xmpp:sm:3' h='2' previd='" + onA.session.id() + "'/>");
      assertThat(accepted.resend()).containsExactly(message(3));
      // XEP-0198 §5: the resume's h acknowledged message 2, as an <a h='2'/> would have
      assertThat(accepted.acknowledged()).containsExactly(message(2));
      assertThat(accepted.queue().acked()).isEqualTo(2);
      assertThat(accepted.queue().sent()).isEqualTo(3);
      assertThat(accepted.inbound().value()).isEqualTo(2);
      assertThat(accepted.session().fullJid()).isEqualTo(PHONE);
      assertThat(accepted.session().lease()).isNotEqualTo(onA.session.lease());
    });
    Resumption.Accepted accepted = (Resumption.Accepted) outcome;
    Stream onB = new Stream(accepted.session(), accepted.queue(), accepted.inbound());
    assertThat(send(onB, message(4))).isTrue();
    clientAcks(onB, 4);
    assertThat(onB.queue.size()).isZero();
  }

  @Test
  void theConnectionAStreamWasResumedFromLearnsItOnItsNextWrite() throws Exception {
    Stream onA = enableOnA();
    send(onA, message(1));

    // Edge A has not noticed the connection is dead; Alice resumes on B.
    assertThat(await(edgeB.resume(new StreamManagement.Resume(onA.session.id(), 0), ALICE)))
        .isInstanceOf(Resumption.Accepted.class);

    assertThat(send(onA, message(2))).as("A may no longer write the stream").isFalse();
  }

  @Test
  void anotherUsersSmIdIsNotFoundAndItsOwnerCanStillResume() throws Exception {
    Stream onA = enableOnA();
    send(onA, message(1));

    Resumption.Outcome mallory = await(edgeB.resume(
        new StreamManagement.Resume(onA.session.id(), 0), "mallory@example.com"));

    assertThat(mallory).isInstanceOfSatisfying(Resumption.Refused.class, refused ->
        assertThat(XmlWriter.toXml(refused.failed().toElement(), "jabber:client")).isEqualTo(
            "<failed xmlns='urn:xmpp:sm:3'>"
                + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>"));
    assertThat(send(onA, message(2))).as("Alice's stream is untouched").isTrue();
    assertThat(await(edgeB.resume(new StreamManagement.Resume(onA.session.id(), 0), ALICE)))
        .isInstanceOfSatisfying(Resumption.Accepted.class,
            accepted -> assertThat(accepted.resend()).containsExactly(message(1), message(2)));
  }

  @Test
  void anUnknownSmIdIsNotFound() {
    assertThat(await(edgeB.resume(new StreamManagement.Resume(Resumption.newId(), 0), ALICE)))
        .isEqualTo(new Resumption.Refused(
            StreamManagement.Failed.of(StanzaErrorCondition.ITEM_NOT_FOUND)));
    assertThat(await(edgeB.resume(new StreamManagement.Resume("{not-ours}", 0), ALICE)))
        .isInstanceOf(Resumption.Refused.class);
  }

  @Test
  void aStreamNotResumedWithinItsResumptionTimeIsGone() throws Exception {
    Stream onA = enableOnA();
    send(onA, message(1));
    await(store.detach(onA.session.id(), onA.session.lease()));

    clock.advance(Duration.ofMinutes(5));

    assertThat(await(edgeB.resume(new StreamManagement.Resume(onA.session.id(), 0), ALICE)))
        .isEqualTo(new Resumption.Refused(
            StreamManagement.Failed.of(StanzaErrorCondition.ITEM_NOT_FOUND)));
  }

  @Test
  void aResumedStreamCanBeResumedAgainAndOnlyTheLatestConnectionHoldsIt() throws Exception {
    Stream onA = enableOnA();
    send(onA, message(1));
    Resumption.Accepted first = (Resumption.Accepted) await(edgeB.resume(
        new StreamManagement.Resume(onA.session.id(), 0), ALICE));

    Resumption.Accepted second = (Resumption.Accepted) await(edgeA.resume(
        new StreamManagement.Resume(onA.session.id(), 0), ALICE));

    assertThat(second.resend()).containsExactly(message(1));
    assertThat(await(store.refresh(first.session().id(), first.session().lease()))).isFalse();
    assertThat(await(store.refresh(second.session().id(), second.session().lease()))).isTrue();
  }

  @Test
  void anHAcknowledgingStanzasNeverSentFailsTheResumptionAndEndsTheSession() throws Exception {
    Stream onA = enableOnA();
    handledFromClient(onA);
    send(onA, message(1));
    send(onA, message(2));

    Resumption.Outcome outcome = await(edgeB.resume(
        new StreamManagement.Resume(onA.session.id(), 3), ALICE));

    assertThat(outcome).isEqualTo(new Resumption.Refused(new StreamManagement.Failed(
        OptionalLong.of(1), Optional.of(StanzaErrorCondition.UNDEFINED_CONDITION))));
    assertThat(await(edgeB.resume(new StreamManagement.Resume(onA.session.id(), 2), ALICE)))
        .isInstanceOf(Resumption.Refused.class);
  }

  @Test
  void whenTheStoreFailsStreamsGetAcksWithoutResumptionAndResumingFails() {
    Resumption broken = new Resumption(new UnreachableStore(), Resumption.Settings.DEFAULTS);

    Resumption.Enabling enabling = await(broken.enable(
        new StreamManagement.Enable(true, OptionalLong.empty()), ALICE, PHONE));
    Resumption.Outcome outcome = await(broken.resume(
        new StreamManagement.Resume(Resumption.newId(), 0), ALICE));

    assertThat(enabling.enabled()).isEqualTo(StreamManagement.Enabled.withoutResumption());
    assertThat(enabling.session()).isEmpty();
    assertThat(outcome).isEqualTo(new Resumption.Refused(
        StreamManagement.Failed.of(StanzaErrorCondition.INTERNAL_SERVER_ERROR)));
  }

  /** A store whose back-end does not answer. */
  private static final class UnreachableStore implements ResumptionStore {
    private static <T> CompletionStage<T> down() {
      return CompletableFuture.failedFuture(new IOException("Redis is down"));
    }

    @Override
    public CompletionStage<Void> save(ResumableSession session) {
      return down();
    }

    @Override
    public CompletionStage<Optional<ResumableSession>> take(String id, String ownerBareJid) {
      return down();
    }

    @Override
    public CompletionStage<Boolean> appendUnacked(String id, String lease, String stanzaXml) {
      return down();
    }

    @Override
    public CompletionStage<Boolean> sessionState(String id, String lease, boolean carbons,
        String presence) {
      return down();
    }

    @Override
    public CompletionStage<Boolean> ack(String id, String lease, long h) {
      return down();
    }

    @Override
    public CompletionStage<Boolean> handled(String id, String lease, long inboundHandled) {
      return down();
    }

    @Override
    public CompletionStage<Boolean> refresh(String id, String lease) {
      return down();
    }

    @Override
    public CompletionStage<Boolean> detach(String id, String lease) {
      return down();
    }

    @Override
    public CompletionStage<Boolean> finishing(String id, String lease) {
      return down();
    }

    @Override
    public CompletionStage<Boolean> isFinishing(String id) {
      return down();
    }

    @Override
    public CompletionStage<Void> remove(String id, String lease) {
      return down();
    }
  }
}

package dev.tern.it;

import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.element.MamElements.MamResultExtension;
import org.jivesoftware.smackx.mam.element.MamFinIQ;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0313 with XEP-0059 paging: Alice has written 120 messages to Bob and Carol 3 to Alice; a
 * fresh device restores history page by page, forwards, backwards, filtered.
 */
@Order(19)
@ExtendWith(TestFederation.class)
class MamTest {

  private static final int CHAT_LENGTH = 120;

  private String alice;
  private String bob;
  private String carol;

  @BeforeEach
  void history() throws Exception {
    alice = XmppClients.registerNewUser("region-a");
    bob = XmppClients.registerNewUser("region-a");
    carol = XmppClients.registerNewUser("region-a");
    sendAll(alice, bob, CHAT_LENGTH, "to Bob ");
    sendAll(carol, alice, 3, "from Carol ");
  }

  private static EntityBareJid jid(String user) throws Exception {
    return JidCreate.entityBareFrom(user + "@localhost");
  }

  /** Sends {@code n} messages and waits until the server acknowledged (stored) all of them. */
  private static void sendAll(String from, String to, int n, String prefix) throws Exception {
    XMPPTCPConnection c = login(XmppClients.tcp("region-a"), from);
    try {
      AtomicInteger acked = new AtomicInteger();
      c.addStanzaAcknowledgedListener(s -> {
        if (s instanceof Message) {
          acked.incrementAndGet();
        }
      });
      for (int i = 1; i <= n; i++) {
        c.sendStanza(c.getStanzaFactory().buildMessageStanza().to(jid(to))
            .ofType(Message.Type.chat).setBody(prefix + i).build());
      }
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        c.requestSmAcknowledgement();
        assertThat(acked.get()).isEqualTo(n);
      });
    } finally {
      c.disconnect();
    }
  }

  private static List<String> bodies(List<Message> messages) {
    return messages.stream().map(Message::getBody).toList();
  }

  private static List<String> expected(String prefix, int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  @Test
  void aFreshDeviceOfBobRestoresTheWholeChatInOrderPageByPage() throws Exception {
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    try {
      MamManager mam = mam(b);
      assertThat(mam.isSupported()).as("urn:xmpp:mam:2 on the account").isTrue();

      MamManager.MamQuery q = mam.queryArchive(MamManager.MamQueryArgs.builder()
          .limitResultsToJid(jid(alice)).setResultPageSize(50).build());
      List<Message> all = new ArrayList<>(q.getMessages());
      int pages = 1;
      while (!q.isComplete()) {
        all.addAll(q.pageNext(50));
        pages++;
      }

      assertThat(pages).isEqualTo(3);
      assertThat(bodies(all)).containsExactlyElementsOf(expected("to Bob ", 1, CHAT_LENGTH));
      assertThat(all).allSatisfy(m ->
          assertThat(m.getFrom().asBareJid().toString()).isEqualTo(alice + "@localhost"));
    } finally {
      b.disconnect();
    }
  }

  @Test
  void withKeepsOneChatAndTheWholeArchiveHoldsEveryChat() throws Exception {
    XMPPTCPConnection a = login(XmppClients.tcp("region-a"), alice);
    try {
      MamManager mam = mam(a);

      MamManager.MamQuery carolOnly = mam.queryArchive(MamManager.MamQueryArgs.builder()
          .limitResultsToJid(jid(carol)).build());
      assertThat(bodies(carolOnly.getMessages()))
          .containsExactlyElementsOf(expected("from Carol ", 1, 3));
      assertThat(carolOnly.isComplete()).isTrue();

      MamManager.MamQuery everything = mam.queryArchive(MamManager.MamQueryArgs.builder()
          .setResultPageSize(250).build());
      List<String> got = bodies(everything.getMessages());
      assertThat(got).hasSize(CHAT_LENGTH + 3);
      assertThat(got.subList(0, CHAT_LENGTH))
          .containsExactlyElementsOf(expected("to Bob ", 1, CHAT_LENGTH));
      assertThat(got.subList(CHAT_LENGTH, CHAT_LENGTH + 3))
          .containsExactlyElementsOf(expected("from Carol ", 1, 3));
      assertThat(everything.isComplete()).isTrue();
    } finally {
      a.disconnect();
    }
  }

  @Test
  void startAndEndKeepTheMessagesStoredBetweenThemInclusive() throws Exception {
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    try {
      MamManager mam = mam(b);
      List<MamResultExtension> all = mam.queryArchive(MamManager.MamQueryArgs.builder()
          .setResultPageSize(250).build()).getMamResultExtensions();
      assertThat(all).hasSize(CHAT_LENGTH);
      Date start = all.get(9).getForwarded().getDelayInformation().getStamp();
      // Messages stored within one millisecond share a stamp: the end is the first later one
      // from the 20th on (XEP-0313 needs end after start).
      Date end = all.subList(19, CHAT_LENGTH).stream()
          .map(r -> r.getForwarded().getDelayInformation().getStamp())
          .filter(d -> d.after(start)).findFirst().orElseThrow();

      MamManager.MamQuery window = mam.queryArchive(MamManager.MamQueryArgs.builder()
          .limitResultsSince(start).limitResultsBefore(end).setResultPageSize(250).build());

      List<MamResultExtension> got = window.getMamResultExtensions();
      assertThat(bodies(window.getMessages())).containsSubsequence(expected("to Bob ", 10, 20));
      assertThat(got).allSatisfy(r -> {
        Date stamp = r.getForwarded().getDelayInformation().getStamp();
        assertThat(stamp).isBetween(start, end, true, true);
      });
      assertThat(got.size()).isLessThan(CHAT_LENGTH);
    } finally {
      b.disconnect();
    }
  }

  @Test
  void theLastPageComesFirstAndPagingBackwardsEndsCompleteAtTheStart() throws Exception {
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    try {
      MamManager mam = mam(b);

      MamManager.MamQuery q = mam.queryArchive(MamManager.MamQueryArgs.builder()
          .limitResultsToJid(jid(alice)).setResultPageSize(50).queryLastPage().build());
      assertThat(bodies(q.getMessages())).containsExactlyElementsOf(expected("to Bob ", 71, 120));
      assertThat(q.isComplete()).isFalse();

      assertThat(bodies(q.pagePrevious(50))).containsExactlyElementsOf(expected("to Bob ", 21, 70));
      assertThat(q.isComplete()).isFalse();
      assertThat(bodies(q.pagePrevious(50))).containsExactlyElementsOf(expected("to Bob ", 1, 20));
      assertThat(q.isComplete()).isTrue();
    } finally {
      b.disconnect();
    }
  }

  /** A XEP-0313 query written out, for what MamManager cannot ask (flip-page). */
  private static final class RawQuery extends IQ {
    private final String queryId;
    private final String inner;

    RawQuery(String queryId, String inner) {
      super("query", "urn:xmpp:mam:2");
      this.queryId = queryId;
      this.inner = inner;
      setType(Type.set);
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(
        IQChildElementXmlStringBuilder xml) {
      xml.attribute("queryid", queryId);
      xml.rightAngleBracket();
      xml.append(inner);
      return xml;
    }
  }

  @Test
  void aFlippedLastPageArrivesNewestFirstBeforeTheFin() throws Exception {
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    try {
      String queryId = UUID.randomUUID().toString();
      List<MamResultExtension> results = new ArrayList<>();
      try (StanzaCollector collector = b.createStanzaCollector(s -> s instanceof Message m
          && MamResultExtension.from(m) != null
          && queryId.equals(MamResultExtension.from(m).getQueryId()))) {
        IQ answer = b.sendIqRequestAndWaitForResponse(new RawQuery(queryId,
            "<set xmlns='http://jabber.org/protocol/rsm'><max>10</max><before/></set>"
                + "<flip-page/>"));
        assertThat(answer).isInstanceOf(MamFinIQ.class);
        MamFinIQ fin = (MamFinIQ) answer;
        Message m;
        while ((m = collector.pollResult()) != null) {
          results.add(MamResultExtension.from(m));
        }
        List<String> newestFirst = new ArrayList<>(expected("to Bob ", 111, 120));
        java.util.Collections.reverse(newestFirst);
        assertThat(bodies(results.stream().map(r -> r.getForwarded().getForwardedStanza())
            .toList())).containsExactlyElementsOf(newestFirst);
        assertThat(fin.isComplete()).isFalse();
        assertThat(fin.getRSMSet().getFirst()).isEqualTo(results.get(0).getId());
        assertThat(fin.getRSMSet().getLast()).isEqualTo(results.get(results.size() - 1).getId());
      }
    } finally {
      b.disconnect();
    }
  }

  @Test
  void anUnknownAfterIdIsItemNotFound() throws Exception {
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    try {
      MamManager mam = mam(b);

      assertThatThrownBy(() -> mam.queryArchive(MamManager.MamQueryArgs.builder()
              .afterUid("no-such-" + UUID.randomUUID()).build()))
          .isInstanceOfSatisfying(XMPPErrorException.class, e -> assertThat(
              e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found));
    } finally {
      b.disconnect();
    }
  }

  /** The client's MAM manager once it discovered the archive's version (as clients do). */
  private static MamManager mam(XMPPTCPConnection c) throws Exception {
    MamManager mam = MamManager.getInstanceFor(c);
    assertThat(mam.isSupported()).as("urn:xmpp:mam:2 on the account").isTrue();
    return mam;
  }
}

package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile input gets the exact RFC 6120 stream error, the stream is closed, and other clients
 * keep being served (checked after every case).
 */
@Order(11)
@ExtendWith(TestFederation.class)
class MalformedInputTest {

  private static final Duration CLOSE_WITHIN = Duration.ofSeconds(15);
  private static String user;

  @BeforeAll
  static void aUserExists() throws Exception {
    user = XmppClients.registerNewUser("region-a");
  }

  @AfterEach
  void otherClientsAreStillServed() throws Exception {
    XMPPTCPConnection c = XmppClients.login(XmppClients.tcp("region-a"), user);
    try {
      assertThat(PingManager.getInstanceFor(c).pingMyServer(false)).isTrue();
    } finally {
      c.disconnect();
    }
  }

  private static String answerTo(String input) throws Exception {
    try (RawConnection raw = RawConnection.toRegionA()) {
      return raw.send(input).readUntilClosed(CLOSE_WITHIN);
    }
  }

  private static void assertStreamError(String answer, String condition) {
    assertThat(answer).contains("<stream:stream").contains("<" + condition + " ")
        .contains("urn:ietf:params:xml:ns:xmpp-streams").endsWith("</stream:stream>");
  }

  @Test
  void aDoctypeIsRestrictedXml() throws Exception {
    assertStreamError(answerTo("<?xml version='1.0'?><!DOCTYPE stream:stream>"
        + RawConnection.HEADER.substring("<?xml version='1.0'?>".length())), "restricted-xml");
  }

  @Test
  void billionLaughsIsRestrictedXmlAndNeverExpanded() throws Exception {
    StringBuilder dtd = new StringBuilder("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>");
    for (int i = 1; i <= 9; i++) {
      dtd.append("<!ENTITY lol").append(i).append(" '");
      for (int j = 0; j < 10; j++) {
        dtd.append("&lol").append(i == 1 ? "" : Integer.toString(i - 1)).append(';');
      }
      dtd.append("'>");
    }
    dtd.append("]>").append(RawConnection.HEADER.substring("<?xml version='1.0'?>".length()))
        .append("<message><body>&lol9;</body></message>");
    assertStreamError(answerTo(dtd.toString()), "restricted-xml");
  }

  @Test
  void anExternalEntityIsRestrictedXmlAndNeverResolved() throws Exception {
    assertStreamError(answerTo("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY xxe SYSTEM "
        + "'file:///etc/passwd'>]>" + RawConnection.HEADER.substring(21)
        + "<message><body>&xxe;</body></message>"), "restricted-xml");
  }

  @Test
  void aCommentIsRestrictedXml() throws Exception {
    assertStreamError(answerTo(RawConnection.HEADER + "<!-- hello -->"), "restricted-xml");
  }

  @Test
  void aProcessingInstructionIsRestrictedXml() throws Exception {
    assertStreamError(answerTo(RawConnection.HEADER + "<?evil stuff?>"), "restricted-xml");
  }

  @Test
  void aOneMebibyteStanzaIsAPolicyViolation() throws Exception {
    byte[] body = new byte[1024 * 1024];
    java.util.Arrays.fill(body, (byte) 'a');
    try (RawConnection raw = RawConnection.toRegionA()) {
      raw.send(RawConnection.HEADER + "<message><body>").send(body).send("</body></message>");
      assertStreamError(raw.readUntilClosed(CLOSE_WITHIN), "policy-violation");
    }
  }

  @Test
  void nestingTenThousandDeepIsAPolicyViolation() throws Exception {
    assertStreamError(answerTo(RawConnection.HEADER + "<a>".repeat(10_000)), "policy-violation");
  }

  @Test
  void invalidUtf8IsNotWellFormed() throws Exception {
    try (RawConnection raw = RawConnection.toRegionA()) {
      raw.send(RawConnection.HEADER + "<message><body>")
          .send(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF})
          .send("</body></message>");
      assertStreamError(raw.readUntilClosed(CLOSE_WITHIN), "not-well-formed");
    }
  }

  @Test
  void mismatchedTagsAreNotWellFormed() throws Exception {
    assertStreamError(answerTo(RawConnection.HEADER + "<message></presence>"), "not-well-formed");
  }

  @Test
  void aStreamForAnotherDomainIsHostUnknown() throws Exception {
    assertStreamError(answerTo(RawConnection.HEADER.replace("to='localhost'", "to='example.org'")),
        "host-unknown");
  }

  @Test
  void aStreamInTheWrongNamespaceIsInvalidNamespace() throws Exception {
    assertStreamError(answerTo(RawConnection.HEADER.replace(
        "xmlns:stream='http://etherx.jabber.org/streams'", "xmlns:stream='urn:not:streams'")),
        "invalid-namespace");
  }

  @Test
  void aStanzaBeforeStarttlsIsAPolicyViolation() throws Exception {
    assertStreamError(answerTo(RawConnection.HEADER + "<message to='x@localhost'><body>hi</body></message>"),
        "policy-violation");
  }

  @Test
  void newConnectionsFromOneAddressBeyondItsRateAreAPolicyViolation() throws Exception {
    // xmpp.limits.connectionBurstPerIp and connectionRatePerIp, defaults: 1 000 at once, then 50/s
    int burst = 1000;
    int perSecond = 50;
    long start = System.nanoTime();
    int admitted = 0;
    boolean refused = false;
    // Opened and closed one after the other: the limit is on new connections, not open ones.
    while (!refused && admitted < 3 * burst) {
      try (RawConnection raw = RawConnection.toRegionA()) {
        // The features of an admitted stream, or the stream error of a refused one
        String answer = raw.send(RawConnection.HEADER).readUntil("</stream:", CLOSE_WITHIN)
            .received();
        if (answer.contains("<policy-violation ")) {
          assertStreamError(raw.readUntilClosed(CLOSE_WITHIN), "policy-violation");
          refused = true;
        } else {
          admitted++;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(refused).as("refused within " + 3 * burst + " new connections").isTrue();
    // Other tests' connections from this address may have spent part of the burst before.
    assertThat(admitted).isLessThanOrEqualTo(burst + (int) Math.ceil(perSecond * seconds) + 1);
    // The bucket fills up again before the next test connects from this address.
    Thread.sleep(1000L * burst / perSecond);
  }

  @Test
  void aSustainedFloodIsSlowedThenAPolicyViolation() throws Exception {
    try (RawConnection raw = RawConnection.toRegionA()) {
      raw.send(RawConnection.HEADER);
      byte[] whitespace = new byte[64 * 1024];
      java.util.Arrays.fill(whitespace, (byte) ' ');
      Thread flooder = new Thread(() -> {
        // Whitespace between stanzas is allowed (RFC 6120 §4.6.1): only the rate is wrong.
        for (int i = 0; i < 10_000 && !Thread.currentThread().isInterrupted(); i++) {
          raw.send(whitespace);
        }
      }, "flooder");
      flooder.setDaemon(true);
      flooder.start();
      try {
        // xmpp.limits.floodTolerance, default 10 s, at 256 KiB/s
        assertStreamError(raw.readUntilClosed(Duration.ofSeconds(60)), "policy-violation");
      } finally {
        flooder.interrupt();
      }
    }
  }

  @Test
  void aStreamThatNeverAuthenticatesTimesOut() throws Exception {
    // region-b keeps the default xmpp.limits.preAuthTimeout, 30 s (region-a's is longer)
    try (RawConnection raw = RawConnection.to("region-b")) {
      raw.send(RawConnection.HEADER.getBytes(StandardCharsets.UTF_8));
      assertStreamError(raw.readUntilClosed(Duration.ofSeconds(60)), "connection-timeout");
    }
  }
}

package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.bench.ScramClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A mobile device's reconnect: SASL2 (XEP-0388) authenticates, binds (Bind 2, XEP-0386) and
 * enables stream management in one exchange and gets a FAST token (XEP-0484); after losing its
 * connection it authenticates with the token and resumes its stream in one round trip.
 */
@Order(14)
@ExtendWith(TestFederation.class)
class FastReconnectTest {

  private static String alice;

  @BeforeAll
  static void aliceExists() throws Exception {
    alice = XmppClients.registerNewUser("region-a");
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String unb64(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
    assertThat(m.find()).as("%s in %s", regex, text).isTrue();
    return m.group(1);
  }

  private static byte[] hmac(String key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aDeviceLogsInBindsAndGetsATokenThenReconnectsWithItAndResumesInOneRoundTrip()
      throws Exception {
    String device = UUID.randomUUID().toString();
    String userAgent = "<user-agent id='" + device + "'><software>tern-tests</software>"
        + "<device>phone</device></user-agent>";
    String token;
    String smId;
    String jid;
    try (RawTlsSession s = RawTlsSession.startTls("region-a")) {
      assertThat(s.features()).contains("urn:xmpp:sasl:2", "urn:xmpp:bind:0", "urn:xmpp:fast:0",
          "HT-SHA-256-NONE");
      ScramClient scram = new ScramClient("SHA-256", alice, XmppClients.PASSWORD, null,
          new byte[0], null);
      s.send("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='SCRAM-SHA-256'>"
          + "<initial-response>" + b64(scram.clientFirst()) + "</initial-response>" + userAgent
          + "<request-token xmlns='urn:xmpp:fast:0' mechanism='HT-SHA-256-NONE'/>"
          + "<bind xmlns='urn:xmpp:bind:0'><tag>Tern</tag>"
          + "<enable xmlns='urn:xmpp:sm:3' resume='true'/></bind></authenticate>");
      String challenge = group(s.await("<challenge[^>]*>[^<]*</challenge>"), ">([^<]*)<");
      s.send("<response xmlns='urn:xmpp:sasl:2'>" + b64(scram.clientFinal(unb64(challenge)))
          + "</response>");

      String success = s.await("<success xmlns='urn:xmpp:sasl:2'>.*?</success>");
      jid = group(success, "<authorization-identifier>([^<]+)</authorization-identifier>");
      assertThat(jid).startsWith(alice + "@localhost/Tern/");
      smId = group(success, "<enabled[^>]*id='([^']+)'");
      token = group(success, "<token[^>]*token='([^']+)'");
      assertThat(scram.verifyServerFinal(unb64(group(success,
          "<additional-data>([^<]+)</additional-data>")))).isTrue();
      s.await("<stream:features.*?</stream:features>"); // no restart (XEP-0388)

      s.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
      s.await("<iq[^>]*id='p1'[^>]*/>"); // received; the connection then drops without an ack
    }

    try (RawTlsSession again = RawTlsSession.startTls("region-a")) {
      // HT-SHA-256-NONE: authcid NUL HMAC(token, "Initiator"), no channel binding data.
      byte[] user = alice.getBytes(StandardCharsets.UTF_8);
      byte[] initialBytes = new byte[user.length + 1 + 32];
      System.arraycopy(user, 0, initialBytes, 0, user.length);
      System.arraycopy(hmac(token, "Initiator"), 0, initialBytes, user.length + 1, 32);
      again.send("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='HT-SHA-256-NONE'>"
          + "<initial-response>" + Base64.getEncoder().encodeToString(initialBytes)
          + "</initial-response>" + userAgent
          + "<resume xmlns='urn:xmpp:sm:3' previd='" + smId + "' h='0'/></authenticate>");

      String success = again.await("<success xmlns='urn:xmpp:sasl:2'>.*?</success>");
      assertThat(success).contains("<resumed").contains("previd='" + smId + "'");
      assertThat(Base64.getDecoder().decode(group(success,
          "<additional-data>([^<]+)</additional-data>"))).isEqualTo(hmac(token, "Responder"));
      assertThat(again.await("<iq[^>]*id='p1'[^>]*/>")).as("sent again after the resume")
          .contains("to='" + jid + "'");
    }
  }
}

package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The design document's {@code GET /ws/connect} with {@code Authorization: Bearer}: a user gets a
 * short-lived token over XMPP, and a WebSocket opened with it starts authenticated.
 */
@Order(15)
@ExtendWith(TestFederation.class)
class BearerWebSocketTest {

  private static String alice;

  @BeforeAll
  static void aliceExists() throws Exception {
    alice = XmppClients.registerNewUser("region-a");
  }

  private static String token() throws Exception {
    try (RawTlsSession s = RawTlsSession.startTls("region-a")) {
      s.login(alice, XmppClients.PASSWORD);
      s.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
      s.await("<iq[^>]*id='b1'.*?</iq>");
      s.send("<iq type='get' id='t1'><token xmlns='urn:tern:bearer:0'/></iq>");
      Matcher m = Pattern.compile(">([A-Za-z0-9_.-]+)</token>")
          .matcher(s.await("<iq[^>]*id='t1'.*?</iq>"));
      assertThat(m.find()).isTrue();
      return m.group(1);
    }
  }

  private static WebSocket connect(String authorization, BlockingQueue<String> received)
      throws Exception {
    var http = XmppClients.region("region-a").http();
    return HttpClient.newHttpClient().newWebSocketBuilder()
        .header("Authorization", authorization)
        .subprotocols("xmpp")
        .buildAsync(URI.create("ws://" + http.host() + ":" + http.port() + "/ws/connect"),
            new WebSocket.Listener() {
              private final StringBuilder partial = new StringBuilder();

              @Override
              public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                  received.add(partial.toString());
                  partial.setLength(0);
                }
                ws.request(1);
                return null;
              }
            }).get(10, TimeUnit.SECONDS);
  }

  private static String next(BlockingQueue<String> received, String contains) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String message = received.poll(1, TimeUnit.SECONDS);
      if (message != null && message.contains(contains)) {
        return message;
      }
    }
    throw new AssertionError("no message with " + contains);
  }

  @Test
  void aWebSocketOpenedWithAValidTokenStartsAuthenticatedAndBinds() throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    WebSocket ws = connect("Bearer " + token(), received);
    try {
      ws.sendText("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>",
          true).get(5, TimeUnit.SECONDS);
      String features = next(received, "features");
      assertThat(features).contains("urn:ietf:params:xml:ns:xmpp-bind").doesNotContain("<mechanisms");

      ws.sendText("<iq xmlns='jabber:client' type='set' id='b1'>"
          + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>", true).get(5, TimeUnit.SECONDS);
      assertThat(next(received, "id='b1'")).contains("<jid>" + alice + "@localhost/");
    } finally {
      ws.abort();
    }
  }

  @Test
  void aTokenIssuedBeforeAPasswordChangeIsRefusedWith401() throws Exception {
    String bob = XmppClients.registerNewUser("region-a");
    String before;
    try (RawTlsSession s = RawTlsSession.startTls("region-a")) {
      s.login(bob, XmppClients.PASSWORD);
      s.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
      s.await("<iq[^>]*id='b1'.*?</iq>");
      s.send("<iq type='get' id='t1'><token xmlns='urn:tern:bearer:0'/></iq>");
      Matcher m = Pattern.compile(">([A-Za-z0-9_.-]+)</token>")
          .matcher(s.await("<iq[^>]*id='t1'.*?</iq>"));
      assertThat(m.find()).isTrue();
      before = m.group(1);
      s.send("<iq type='set' id='pw'><query xmlns='jabber:iq:register'><username>" + bob
          + "</username><password>another long password</password></query></iq>");
      assertThat(s.await("<iq[^>]*id='pw'[^>]*>")).contains("type='result'");
    }

    assertThatThrownBy(() -> connect("Bearer " + before, new LinkedBlockingQueue<>()))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
  }

  @Test
  void anInvalidTokenIsRefusedWith401BeforeTheUpgrade() {
    assertThatThrownBy(() -> connect("Bearer not-a-valid-token", new LinkedBlockingQueue<>()))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
  }
}

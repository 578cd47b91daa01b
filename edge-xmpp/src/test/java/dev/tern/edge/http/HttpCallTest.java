package dev.tern.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HttpCallTest {

  @Test
  void aRouteSeesTheDecodedQueryAndThatTheClientIsOnLoopback() throws Exception {
    HttpServer server = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), List.of(
        new HttpRoute("/echo", call -> CompletableFuture.completedFuture(HttpAnswer.text(200,
            "text/plain", call.parameter("user").orElse("-") + " " + call.fromLoopback())))));
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.address().getPort()
                  + "/echo?user=alice%40localhost&user=bob")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(r.body()).isEqualTo("alice@localhost true");
    } finally {
      server.close();
    }
  }

  @Test
  void aCallFromNowhereIsNotLoopbackAndHasNoParameters() {
    HttpCall call = HttpCall.of("/admin/where");

    assertThat(call.fromLoopback()).isFalse();
    assertThat(call.parameter("user")).isEmpty();
  }
}

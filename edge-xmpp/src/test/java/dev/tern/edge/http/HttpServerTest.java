package dev.tern.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {

  private HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), List.of(
        new HttpRoute("/hello", () -> CompletableFuture.completedFuture(
            HttpAnswer.text(200, "text/plain", "hi\n"))),
        new HttpRoute("/later", () -> CompletableFuture.supplyAsync(
            () -> HttpAnswer.text(503, "application/json", "{}")))));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + server.address().getPort() + path)).method(method, HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRegisteredPathAnswersWithItsStatusTypeAndBody() throws Exception {
    HttpResponse<String> r = send("GET", "/hello?verbose=1");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hi\n");
    assertThat(r.headers().firstValue("content-type")).contains("text/plain");
    assertThat(r.headers().firstValue("cache-control")).contains("no-store");
  }

  @Test
  void anAnswerThatComesLaterIsSent() throws Exception {
    HttpResponse<String> r = send("GET", "/later");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("{}");
  }

  @Test
  void unknownPathsAndOtherMethodsAreRefused() throws Exception {
    assertThat(send("GET", "/nope").statusCode()).isEqualTo(404);
    assertThat(send("POST", "/hello").statusCode()).isEqualTo(405);
    assertThat(send("HEAD", "/hello").statusCode()).isEqualTo(200);
  }
}

package dev.tern.edge.http;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/** A complete HTTP response: status, content type and body. */
public record HttpAnswer(int status, String contentType, byte[] body) {

  public HttpAnswer {
    requireNonNull(contentType, "contentType");
    requireNonNull(body, "body");
  }

  public static HttpAnswer text(int status, String contentType, String body) {
    return new HttpAnswer(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }
}

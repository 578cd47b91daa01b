package dev.tern.edge.http;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One path served on the region's HTTP port with GET (and HEAD), registered as data.
 *
 * @param path the exact request path, e.g. {@code /health}
 * @param handler produces the answer, possibly later
 */
public record HttpRoute(String path, Supplier<CompletionStage<HttpAnswer>> handler) {

  public HttpRoute {
    requireNonNull(path, "path");
    requireNonNull(handler, "handler");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("route path must start with '/': " + path);
    }
  }
}

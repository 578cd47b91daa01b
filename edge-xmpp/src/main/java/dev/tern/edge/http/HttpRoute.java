package dev.tern.edge.http;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One path served on the region's HTTP port with GET (and HEAD), registered as data.
 *
 * @param path the exact request path, e.g. {@code /health}
 * @param answer produces the answer to a call, possibly later
 */
public record HttpRoute(String path, Function<HttpCall, CompletionStage<HttpAnswer>> answer) {

  public HttpRoute {
    requireNonNull(path, "path");
    requireNonNull(answer, "answer");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("route path must start with '/': " + path);
    }
  }

  /** A route whose answer depends on nothing in the request. */
  public HttpRoute(String path, Supplier<CompletionStage<HttpAnswer>> handler) {
    this(path, call -> requireNonNull(handler, "handler").get());
  }

  /** The answer to a plain call of the path, without parameters. */
  public Supplier<CompletionStage<HttpAnswer>> handler() {
    return () -> answer.apply(HttpCall.of(path));
  }
}

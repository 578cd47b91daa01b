package dev.tern.edge.http;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a route sees of a request.
 *
 * @param path the decoded path, without the query
 * @param parameters the query's parameters, decoded
 * @param remote the client's address, when the transport has one
 */
public record HttpCall(String path, Map<String, List<String>> parameters,
    Optional<InetAddress> remote) {

  public HttpCall {
    requireNonNull(path, "path");
    parameters = Map.copyOf(requireNonNull(parameters, "parameters"));
    requireNonNull(remote, "remote");
  }

  /** A call with no parameters from nowhere in particular (tests, internal use). */
  public static HttpCall of(String path) {
    return new HttpCall(path, Map.of(), Optional.empty());
  }

  /** The first value of parameter {@code name}. */
  public Optional<String> parameter(String name) {
    List<String> values = parameters.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Whether the client connected from a loopback address (127.0.0.0/8, ::1). */
  public boolean fromLoopback() {
    return remote.map(InetAddress::isLoopbackAddress).orElse(false);
  }
}

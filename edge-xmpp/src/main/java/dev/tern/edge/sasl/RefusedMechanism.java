package dev.tern.edge.sasl;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A mechanism the server knows but will not run on this stream, such as PLAIN without TLS
 * (RFC 6120 §6.4.5 and §6.5.4): every step is the same failure.
 */
final class RefusedMechanism implements SaslServer {

  private final String mechanism;
  private final SaslStep.Failure failure;

  RefusedMechanism(String mechanism, SaslStep.Failure failure) {
    this.mechanism = mechanism;
    this.failure = failure;
  }

  @Override
  public String mechanism() {
    return mechanism;
  }

  @Override
  public CompletionStage<SaslStep> start(byte[] initialResponse) {
    requireNonNull(initialResponse, "initialResponse");
    return CompletableFuture.completedFuture(failure);
  }

  @Override
  public CompletionStage<SaslStep> evaluate(byte[] response) {
    requireNonNull(response, "response");
    return CompletableFuture.completedFuture(failure);
  }
}

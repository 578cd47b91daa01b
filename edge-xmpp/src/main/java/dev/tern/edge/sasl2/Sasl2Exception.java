package dev.tern.edge.sasl2;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.sasl.SaslFailure;
import dev.tern.edge.sasl.SaslStep;

/**
 * A SASL2 request the server refuses before any mechanism runs: its answer is a
 * {@code <failure/>} with {@link #condition()} (XEP-0388 "Failure", RFC 6120 §6.5), built by
 * {@link Sasl2#failure(SaslStep.Failure)} from {@link #failure()}. The stream stays open.
 */
public final class Sasl2Exception extends Exception {

  private static final long serialVersionUID = 1L;

  private final SaslFailure condition;

  public Sasl2Exception(SaslFailure condition, String text) {
    super(requireNonNull(text, "text"));
    this.condition = requireNonNull(condition, "condition");
  }

  public SaslFailure condition() {
    return condition;
  }

  /** The human-readable text for {@code <text/>}. */
  public String text() {
    return requireNonNull(getMessage());
  }

  /** The answer, as a mechanism's failure would be. */
  public SaslStep.Failure failure() {
    return new SaslStep.Failure(condition, text());
  }
}

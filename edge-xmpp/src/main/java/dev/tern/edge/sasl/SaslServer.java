package dev.tern.edge.sasl;

import java.util.concurrent.CompletionStage;

/**
 * The server side of one SASL exchange on one stream (RFC 4422 §3, RFC 6120 §6.4). Not reusable:
 * the session creates one per {@code <auth/>}, calls {@link #start} once and {@link #evaluate}
 * for each {@code <response/>} until a step is a {@link SaslStep.Success} or
 * {@link SaslStep.Failure}, and never calls it again while a stage is pending.
 *
 * <p>Data is raw bytes: the session decodes and encodes base 64 ({@link SaslBase64}) and answers
 * {@link SaslFailure#INCORRECT_ENCODING} itself. Stages complete on whichever thread finished the
 * account lookup or password hashing.
 */
public interface SaslServer {

  /** The mechanism name as offered, e.g. {@code SCRAM-SHA-256-PLUS}. */
  String mechanism();

  /**
   * Begins the exchange with the initial response of {@code <auth/>}; empty when the element had
   * no text or was {@code =} (no mechanism here gives an empty initial response a meaning).
   */
  CompletionStage<SaslStep> start(byte[] initialResponse);

  /** Continues the exchange with the data of a {@code <response/>}. */
  CompletionStage<SaslStep> evaluate(byte[] response);
}

package dev.tern.edge.sasl;

/**
 * What the client's earlier SCRAM attempts on one stream showed of its channel binding: one per
 * stream, held by the session and passed to every attempt in its {@link SaslContext}. It lets
 * {@link ScramServer} tell a client that tried to bind with a type this stream does not offer from
 * one that never saw a -PLUS mechanism (RFC 5802 §6, see {@link ScramServer}).
 */
public final class BindingAttempts {

  // Attempts on one stream follow one another; volatile for the thread that ends a lookup.
  private volatile boolean unofferedTypeAsked;

  /** Records that a -PLUS attempt asked for a channel-binding type not offered here. */
  void unofferedTypeAsked() {
    unofferedTypeAsked = true;
  }

  /** Whether a -PLUS attempt on this stream asked for a type not offered here. */
  boolean clientAskedForUnofferedType() {
    return unofferedTypeAsked;
  }
}

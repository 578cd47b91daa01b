package dev.tern.storage.fast;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The FAST tokens (XEP-0484) of every user, per device: the SASL2 user-agent id the token was
 * issued to.
 *
 * <p>A device may hold more than one token at a time: while a token is being rotated, the one the
 * client used and the one just issued to it are both valid until the client uses the new one
 * (XEP-0484 §3.5, and the "current" and "new" slots of its implementation notes, §5). Which tokens to
 * keep is the caller's policy; the store keeps what it is given until it is deleted or expires.
 *
 * <p>A token is identified by its user, device and secret: putting a token with the same three
 * again replaces its mechanism and expiry. Every operation is asynchronous because the product's
 * implementation waits for Cassandra; a stage completes exceptionally when the back-end could not
 * answer.
 */
public interface FastTokenStore {

  /**
   * Stores {@code token} until its expiry; a token that has already expired is not stored (the
   * stage completes normally).
   */
  CompletionStage<Void> put(FastToken token);

  /**
   * The tokens of {@code username} on device {@code deviceId} that have not been deleted and have
   * not expired, the latest expiry first.
   */
  CompletionStage<List<FastToken>> find(String username, String deviceId);

  /** Deletes the token of {@code username} on {@code deviceId} with {@code secret}, if any. */
  CompletionStage<Void> delete(String username, String deviceId, byte[] secret);

  /** Deletes every token of {@code username} on {@code deviceId}. */
  CompletionStage<Void> deleteAll(String username, String deviceId);
}

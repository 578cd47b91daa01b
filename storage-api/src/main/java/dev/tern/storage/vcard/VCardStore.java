package dev.tern.storage.vcard;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Each user's vCard (XEP-0054): one XML document per user, replaced whole by every set. A user is
 * named by its bare JID. The store keeps the text it is given; the caller checks its size and
 * that it is a vCard.
 *
 * <p>Every operation is asynchronous because the product's implementation waits for Cassandra; a
 * stage completes exceptionally when the back-end could not answer.
 */
public interface VCardStore {

  /** {@code user}'s vCard; empty when none was set (or it was deleted). */
  CompletionStage<Optional<StoredVCard>> find(String user);

  /** Sets {@code user}'s vCard to {@code xml}, replacing any earlier one. */
  CompletionStage<Void> put(String user, String xml, Instant updated);

  /** Removes {@code user}'s vCard (the account is removed); nothing when none. */
  CompletionStage<Void> delete(String user);
}

package dev.tern.storage.roster;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Which resources of a user are available and when the user was last seen, for XEP-0012 last
 * activity. Soft state: a resource whose edge died without saying so is forgotten after a while
 * (the Cassandra store keeps each available resource for a day unless refreshed).
 */
public interface LastActivityStore {

  /** {@code resource} of {@code user} sent available presence. */
  CompletionStage<Void> available(String user, String resource);

  /** {@code resource} of {@code user} became unavailable at {@code at} with {@code status}. */
  CompletionStage<Void> unavailable(String user, String resource, Instant at, String status);

  /** What is known about {@code user}; {@link LastActivity#NEVER} if nothing. */
  CompletionStage<LastActivity> lastActivity(String user);
}

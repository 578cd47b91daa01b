package dev.tern.storage.roster;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What XEP-0012 answers about a user.
 *
 * @param online whether some resource of the user is available
 * @param lastSeen when a resource of the user last became unavailable, if ever
 * @param status the status text of that unavailable presence ("" if none)
 */
public record LastActivity(boolean online, Optional<Instant> lastSeen, String status) {

  public LastActivity {
    requireNonNull(lastSeen, "lastSeen");
    requireNonNull(status, "status");
  }

  public static final LastActivity NEVER = new LastActivity(false, Optional.empty(), "");
}

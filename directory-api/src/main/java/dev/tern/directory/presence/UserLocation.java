package dev.tern.directory.presence;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where a user is connected now, per the directory, and when the user was last seen.
 *
 * @param bareJid the user
 * @param resources the user's bound resources whose edges are alive, by resource name
 * @param lastSeen when the user's last resource went away (kept without expiry); empty if the
 *     directory never saw the user leave
 */
public record UserLocation(String bareJid, List<ConnectedResource> resources,
    Optional<Instant> lastSeen) {

  public UserLocation {
    requireNonNull(bareJid, "bareJid");
    resources = requireNonNull(resources, "resources").stream()
        .sorted(Comparator.comparing(ConnectedResource::resource)).toList();
    requireNonNull(lastSeen, "lastSeen");
  }

  /** Whether any resource is connected. */
  public boolean online() {
    return !resources.isEmpty();
  }

  /** The regions the user is connected in, without repeats. */
  public List<String> regions() {
    return resources.stream().map(ConnectedResource::region).distinct().sorted().toList();
  }
}

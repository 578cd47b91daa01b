package dev.tern.storage.accounts;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * A user of the XMPP domain.
 *
 * @param username the localpart of the user's bare JID, already in its PRECIS
 *     UsernameCaseMapped form (RFC 8265 §3.3, RFC 7622 §3.3); stores compare it byte for byte
 * @param createdAt when the account was registered, kept to the millisecond as Cassandra's
 *     {@code timestamp} does, so that every store gives back what it was given
 * @param credentials one SCRAM credential per mechanism name ({@code SCRAM-SHA-1},
 *     {@code SCRAM-SHA-256}), each under the name it carries; may be empty
 * @param credentialsChangedAt when the credentials were last set (registered, or the password
 *     changed), to the millisecond: tokens issued before it no longer open a session
 */
public record Account(String username, Instant createdAt, Map<String, StoredCredential> credentials,
    Instant credentialsChangedAt) {

  /** A new account: its credentials are as old as it is. */
  public Account(String username, Instant createdAt, Map<String, StoredCredential> credentials) {
    this(username, createdAt, credentials, createdAt);
  }

  public Account {
    requireNonNull(username, "username");
    createdAt = requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
    credentialsChangedAt = requireNonNull(credentialsChangedAt, "credentialsChangedAt")
        .truncatedTo(ChronoUnit.MILLIS);
    credentials = Map.copyOf(requireNonNull(credentials, "credentials"));
    if (username.isEmpty()) {
      throw new IllegalArgumentException("username: must not be empty");
    }
    checkCredentials(credentials);
  }

  /** Throws unless every credential is filed under its own mechanism name. */
  static void checkCredentials(Map<String, StoredCredential> credentials) {
    credentials.forEach((mechanism, credential) -> {
      if (!mechanism.equals(credential.mechanism())) {
        throw new IllegalArgumentException("credentials: a " + credential.mechanism()
            + " credential is filed under " + mechanism);
      }
    });
  }
}

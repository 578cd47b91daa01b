package dev.tern.storage.roster;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An inbound subscription request the user has neither approved nor denied ("pending in", RFC
 * 6121 §3.1.3), kept whole so it can be delivered again at each of the user's logins.
 *
 * @param from the requester's bare JID
 * @param stanzaXml the {@code <presence type='subscribe'/>} as it arrived
 * @param receivedAt when it arrived
 */
public record SubscriptionRequest(String from, String stanzaXml, Instant receivedAt) {

  public SubscriptionRequest {
    requireNonNull(from, "from");
    requireNonNull(stanzaXml, "stanzaXml");
    requireNonNull(receivedAt, "receivedAt");
  }
}

package dev.tern.edge.register;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.session.LocalSessions;
import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.accounts.AccountWire;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.StreamErrorCondition;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccountRemovals} over NATS: asks a router of the region, announces on
 * {@link AccountWire#REMOVED}, and closes this edge's sessions of every account announced so
 * with the {@code <not-authorized/>} stream error (the account they authenticated as is gone).
 */
public final class NatsAccountRemovals implements AccountRemovals {

  private static final Logger log = LoggerFactory.getLogger(NatsAccountRemovals.class);

  private final Connection nats;
  private final String region;
  private final Duration timeout;

  /** Removals through {@code nats}; this edge's sessions of removed accounts close. */
  public NatsAccountRemovals(Connection nats, String region, Duration timeout,
      LocalSessions sessions) {
    this.nats = requireNonNull(nats, "nats");
    this.region = requireNonNull(region, "region");
    this.timeout = requireNonNull(timeout, "timeout");
    requireNonNull(sessions, "sessions");
    nats.createDispatcher().subscribe(AccountWire.REMOVED, m -> {
      try {
        closeSessions(sessions, Jid.parse(m.getHeaders().getFirst(MessageWire.USER)));
      } catch (JidMalformedException | RuntimeException e) {
        log.warn("announcement of a removed account not understood: {}", e.toString());
      }
    });
  }

  /** Closes {@code sessions} of {@code user}'s removed account, each on its own thread. */
  public static void closeSessions(LocalSessions sessions, Jid user) {
    List.copyOf(sessions.sessionsOf(user.bare())).forEach(s -> s.executor().execute(
        () -> s.streamError(StreamErrorCondition.NOT_AUTHORIZED, "the account was removed")));
  }

  @Override
  public CompletionStage<Void> remove(Jid user) {
    return nats.requestWithTimeout(NatsMessage.builder().subject(AccountWire.remove(region))
            .headers(new Headers().add(MessageWire.USER, user.bare().toString()))
            .data(new byte[0]).build(), timeout)
        .thenAccept(reply -> Refusal.from(reply.getHeaders()).ifPresent(r -> {
          throw new IllegalStateException("the account was not removed: " + r.condition());
        }));
  }

  @Override
  public void announce(Jid user) {
    nats.publish(NatsMessage.builder().subject(AccountWire.REMOVED)
        .headers(new Headers().add(MessageWire.USER, user.bare().toString()))
        .data(new byte[0]).build());
  }
}

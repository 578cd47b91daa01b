package dev.tern.edge.register;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.session.LocalSessions;
import dev.tern.routing.MessageWire;
import dev.tern.routing.Refusal;
import dev.tern.routing.WireText;
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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccountChanges} over NATS: asks a router of the region to remove an account, announces
 * on {@link AccountWire#REMOVED} and {@link AccountWire#PASSWORD_CHANGED}, and closes this edge's
 * sessions of every account announced so with the {@code <not-authorized/>} stream error (the
 * credentials they authenticated with are gone), but the one that changed the password.
 */
public final class NatsAccountChanges implements AccountChanges {

  private static final Logger log = LoggerFactory.getLogger(NatsAccountChanges.class);

  private final Connection nats;
  private final String region;
  private final Duration timeout;

  /** Removals through {@code nats}; this edge's sessions of removed accounts close. */
  public NatsAccountChanges(Connection nats, String region, Duration timeout,
      LocalSessions sessions) {
    this.nats = requireNonNull(nats, "nats");
    this.region = requireNonNull(region, "region");
    this.timeout = requireNonNull(timeout, "timeout");
    requireNonNull(sessions, "sessions");
    nats.createDispatcher().subscribe(AccountWire.REMOVED, m -> {
      try {
        closeSessions(sessions, Jid.parse(WireText.header(m.getHeaders(), MessageWire.USER)), null,
            "the account was removed");
      } catch (JidMalformedException | RuntimeException e) {
        log.warn("announcement of a removed account not understood: {}", e.toString());
      }
    });
    nats.createDispatcher().subscribe(AccountWire.PASSWORD_CHANGED, m -> {
      try {
        Jid kept = Jid.parse(WireText.header(m.getHeaders(), MessageWire.USER));
        closeSessions(sessions, kept, kept, "the password was changed");
      } catch (JidMalformedException | RuntimeException e) {
        log.warn("announcement of a password change not understood: {}", e.toString());
      }
    });
  }

  /**
   * Closes this edge's sessions of {@code user}'s account but {@code kept} (a full JID, or null)
   * with {@code <not-authorized/>} and {@code text}, each on its own thread.
   */
  public static void closeSessions(LocalSessions sessions, Jid user, @Nullable Jid kept,
      String text) {
    // After what each session was sent before: the removing session's answer comes first.
    List.copyOf(sessions.sessionsOf(user.bare())).forEach(s -> s.executor().execute(
        () -> s.afterPendingWrites(() -> {
          if (kept == null || !kept.equals(s.jid().orElse(null))) {
            s.streamError(StreamErrorCondition.NOT_AUTHORIZED, text);
          }
        })));
  }

  @Override
  public CompletionStage<Void> remove(Jid user) {
    return nats.requestWithTimeout(NatsMessage.builder().subject(AccountWire.remove(region))
            .headers(new Headers().add(MessageWire.USER, WireText.encode(user.bare().toString())))
            .data(new byte[0]).build(), timeout)
        .thenAccept(reply -> Refusal.from(reply.getHeaders()).ifPresent(r -> {
          throw new IllegalStateException("the account was not removed: " + r.condition());
        }));
  }

  @Override
  public void announceRemoval(Jid user) {
    publish(AccountWire.REMOVED, user.bare());
  }

  @Override
  public void announcePasswordChange(Jid kept) {
    publish(AccountWire.PASSWORD_CHANGED, kept);
  }

  private void publish(String subject, Jid user) {
    nats.publish(NatsMessage.builder().subject(subject)
        .headers(new Headers()
        .add(MessageWire.USER, WireText.encode(user.toString()))).data(new byte[0]).build());
  }
}

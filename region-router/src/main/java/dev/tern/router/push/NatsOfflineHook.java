package dev.tern.router.push;

import static java.util.Objects.requireNonNull;

import dev.tern.routing.MessageWire;
import dev.tern.routing.WireText;
import dev.tern.storage.messages.StoredMessage;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

/**
 * Announces each message queued for an offline user on {@link #subject(String)}, for a push
 * service to subscribe to: headers name the recipient, the sender and the message; the payload
 * is empty (a push carries no message text unless the push service fetches it).
 */
public final class NatsOfflineHook implements OfflineHook {

  private final Connection nats;
  private final String subject;

  public NatsOfflineHook(Connection nats, String region) {
    this.nats = requireNonNull(nats, "nats");
    this.subject = subject(region);
  }

  /** Where a region's routers announce messages queued for offline users. */
  public static String subject(String region) {
    requireNonNull(region, "region");
    return "tern." + region + ".push.offline";
  }

  @Override
  public void queuedForOffline(StoredMessage m) {
    nats.publish(NatsMessage.builder().subject(subject)
        .headers(new Headers().add(MessageWire.USER, WireText.encode(m.recipient()))
            .add(MessageWire.FROM, WireText.encode(m.sender()))
            .add(MessageWire.STANZA_ID, WireText.encode(m.stanzaId()))
            .add(MessageWire.CHAT, WireText.encode(m.chat().value()))
            .add(MessageWire.SEQ, Long.toString(m.seq())))
        .data(new byte[0]).build());
  }
}

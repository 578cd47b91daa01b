package dev.tern.edge.vcard;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.im.RouterRequests;
import dev.tern.routing.MessageWire;
import dev.tern.routing.WireText;
import dev.tern.routing.vcard.VCardWire;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The vCards through a router of the region ({@link VCardWire#vcards}). */
public final class NatsVCardClient implements VCardClient {

  private final Connection nats;
  private final String region;
  private final Duration timeout;

  public NatsVCardClient(Connection nats, String region, Duration timeout) {
    this.nats = requireNonNull(nats, "nats");
    this.region = requireNonNull(region, "region");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  @Override
  public CompletionStage<Optional<String>> vcard(String requester, String owner) {
    return request(VCardWire.GET, requester, owner, new byte[0]).thenApply(reply ->
        reply.getData() == null || reply.getData().length == 0 ? Optional.empty()
            : Optional.of(new String(reply.getData(), StandardCharsets.UTF_8)));
  }

  @Override
  public CompletionStage<Void> set(String user, String xml) {
    return request(VCardWire.SET, user, user, xml.getBytes(StandardCharsets.UTF_8))
        .thenApply(reply -> null);
  }

  private CompletionStage<Message> request(String op, String requester, String owner,
      byte[] data) {
    return RouterRequests.ask(nats, NatsMessage.builder().subject(VCardWire.vcards(region))
        .headers(new Headers().add(VCardWire.OP, WireText.encode(op))
            .add(MessageWire.FROM, WireText.encode(requester))
            .add(MessageWire.USER, WireText.encode(owner)))
        .data(data).build(), timeout);
  }
}

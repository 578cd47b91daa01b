package dev.tern.edge.pep;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.im.RouterRequests;
import dev.tern.routing.MessageWire;
import dev.tern.routing.WireText;
import dev.tern.routing.pep.PepWire;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** PEP through a router of the region ({@link PepWire#request}). */
public final class NatsPepClient implements PepClient {

  private final Connection nats;
  private final String region;
  private final Duration timeout;

  public NatsPepClient(Connection nats, String region, Duration timeout) {
    this.nats = requireNonNull(nats, "nats");
    this.region = requireNonNull(region, "region");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  @Override
  public CompletionStage<Optional<XmlElement>> request(String fromFull, String ownerBare,
      String type, XmlElement pubsub) {
    return RouterRequests.ask(nats, NatsMessage.builder().subject(PepWire.request(region))
            .headers(new Headers().add(MessageWire.FROM, WireText.encode(fromFull))
                .add(MessageWire.TO, WireText.encode(ownerBare))
                .add(PepWire.TYPE, WireText.encode(type)))
            .data(Xml.serialize(pubsub).getBytes(StandardCharsets.UTF_8)).build(), timeout)
        .thenApply(reply -> {
          byte[] data = reply.getData();
          return data == null || data.length == 0 ? Optional.<XmlElement>empty()
              : Optional.of(Xml.parse(new String(data, StandardCharsets.UTF_8)));
        });
  }

  @Override
  public CompletionStage<Void> last(String fullJid, Collection<String> nodes) {
    return RouterRequests.ask(nats, NatsMessage.builder().subject(PepWire.last(region))
            .headers(new Headers().add(MessageWire.FROM, WireText.encode(fullJid)))
            .data(PepWire.encodeNodes(nodes)).build(), timeout)
        .thenApply(reply -> null);
  }
}

package dev.tern.edge.blocking;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.im.RouterRequests;
import dev.tern.routing.MessageWire;
import dev.tern.routing.WireText;
import dev.tern.routing.blocking.BlockingWire;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The block lists through a router of the region ({@link BlockingWire#lists}), which stores the
 * change and tells every router to drop its copy; pushes as passing stanzas to the user's bare
 * JID ({@link MessageWire#stanza}), which every edge holding a session of the user takes.
 */
public final class NatsBlockingClient implements BlockingClient {

  private final Connection nats;
  private final String region;
  private final Duration timeout;

  public NatsBlockingClient(Connection nats, String region, Duration timeout) {
    this.nats = requireNonNull(nats, "nats");
    this.region = requireNonNull(region, "region");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  @Override
  public CompletionStage<List<String>> blocklist(String user) {
    return request(BlockingWire.GET, user, List.of())
        .thenApply(r -> BlockingWire.decode(r.getData()));
  }

  @Override
  public CompletionStage<Void> block(String user, List<String> jids) {
    return request(BlockingWire.BLOCK, user, jids).thenApply(r -> null);
  }

  @Override
  public CompletionStage<Void> unblock(String user, List<String> jids) {
    return request(BlockingWire.UNBLOCK, user, jids).thenApply(r -> null);
  }

  @Override
  public void push(String user, XmlElement iq) {
    nats.publish(MessageWire.stanza(user, Xml.serialize(iq)));
  }

  private CompletionStage<Message> request(String op, String user, List<String> jids) {
    return RouterRequests.ask(nats, NatsMessage.builder().subject(BlockingWire.lists(region))
        .headers(new Headers().add(BlockingWire.OP, WireText.encode(op))
            .add(MessageWire.USER, WireText.encode(user)))
        .data(BlockingWire.encode(jids)).build(), timeout);
  }
}

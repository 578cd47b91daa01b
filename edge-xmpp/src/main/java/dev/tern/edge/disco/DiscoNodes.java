package dev.tern.edge.disco;

import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * An IQ handler whose entity has nodes (XEP-0030 §3.2), e.g. an account's PEP nodes: disco#info
 * with a {@code node} to the addressee the handler is registered for is answered by it. Without
 * one, such a query is {@code item-not-found}.
 */
public interface DiscoNodes {

  /** The {@code <query/>} answering {@code request}, a disco#info get naming a node. */
  CompletionStage<Optional<XmlElement>> nodeInfo(IqRequest request);
}

package dev.tern.edge.ping;

import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** XEP-0199 §4.2: a client pings the server; the server answers with an empty result. */
public final class PingHandler implements IqHandler {

  public static final String NAMESPACE = "urn:xmpp:ping";

  @Override
  public IqRegistration registration() {
    return new IqRegistration(Set.of("get"), "ping", NAMESPACE,
        IqRegistration.Addressing.SERVER, false, List.of(NAMESPACE));
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    return CompletableFuture.completedFuture(Optional.empty());
  }
}

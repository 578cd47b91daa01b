package dev.tern.edge.version;

import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * XEP-0092 §2: name and version of the server. The operating system is not disclosed (§5
 * recommends that servers may withhold it).
 */
public final class VersionHandler implements IqHandler {

  public static final String NAMESPACE = "jabber:iq:version";

  private final String version;

  public VersionHandler() {
    String v = VersionHandler.class.getPackage().getImplementationVersion();
    this.version = v == null ? "development" : v;
  }

  @Override
  public IqRegistration registration() {
    return new IqRegistration(Set.of("get"), "query", NAMESPACE,
        IqRegistration.Addressing.SERVER, false, List.of(NAMESPACE));
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    return CompletableFuture.completedFuture(Optional.of(XmlElement.builder("query", NAMESPACE)
        .child(XmlElement.builder("name", NAMESPACE).text("Tern").build())
        .child(XmlElement.builder("version", NAMESPACE).text(version).build())
        .build()));
  }
}

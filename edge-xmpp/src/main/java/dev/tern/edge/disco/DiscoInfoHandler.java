package dev.tern.edge.disco;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.HostedService;
import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRegistry;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * XEP-0030 §3: the server's identity ({@code server/im}) and features. Features come from the
 * IQ registry, so they are exactly what the server handles; a node (§3.2) is answered by the
 * handler that has nodes ({@link DiscoNodes}), if any.
 */
public final class DiscoInfoHandler implements IqHandler {

  public static final String INFO = "http://jabber.org/protocol/disco#info";
  public static final String ITEMS = "http://jabber.org/protocol/disco#items";

  private final IqRegistry registry;
  private final IqRegistration.Addressing addressing;

  public DiscoInfoHandler(IqRegistry registry, IqRegistration.Addressing addressing) {
    this.registry = requireNonNull(registry, "registry");
    this.addressing = requireNonNull(addressing, "addressing");
  }

  @Override
  public IqRegistration registration() {
    return new IqRegistration(Set.of("get"), "query", INFO, addressing, false, List.of(INFO));
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    if (request.payload().attribute("node").isPresent()) {
      for (IqHandler h : registry.handlers(addressing)) {
        if (h instanceof DiscoNodes nodes) {
          return nodes.nodeInfo(request);
        }
      }
      throw new IqError(StanzaErrorCondition.ITEM_NOT_FOUND, "no such node");
    }
    XmlElement.Builder query = XmlElement.builder("query", INFO);
    if (addressing == IqRegistration.Addressing.SERVER) {
      query.child(XmlElement.builder("identity", INFO)
          .attribute("category", "server").attribute("type", "im").attribute("name", "Tern")
          .build());
    } else {
      query.child(XmlElement.builder("identity", INFO)
          .attribute("category", "account").attribute("type", "registered").build());
    }
    for (IqRegistration.Identity identity : registry.identities(addressing)) {
      query.child(XmlElement.builder("identity", INFO).attribute("category", identity.category())
          .attribute("type", identity.type()).build());
    }
    TreeSet<String> features = new TreeSet<>(registry.features(addressing));
    features.add(INFO);
    for (String f : features) {
      query.child(XmlElement.builder("feature", INFO).attribute("var", f).build());
    }
    return CompletableFuture.completedFuture(Optional.of(query.build()));
  }

  /** XEP-0030 §4: the server's items are the services it hosts (e.g. the bytestreams proxy). */
  public static final class Items implements IqHandler {

    private final IqRegistry registry;

    public Items(IqRegistry registry) {
      this.registry = requireNonNull(registry, "registry");
    }

    @Override
    public IqRegistration registration() {
      return new IqRegistration(Set.of("get"), "query", ITEMS,
          IqRegistration.Addressing.SERVER, false, List.of(ITEMS));
    }

    @Override
    public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
      if (request.payload().attribute("node").isPresent()) {
        throw new IqError(StanzaErrorCondition.ITEM_NOT_FOUND, "no such node");
      }
      XmlElement.Builder query = XmlElement.builder("query", ITEMS);
      for (HostedService service : registry.services()) {
        query.child(XmlElement.builder("item", ITEMS).attribute("jid", service.address())
            .attribute("name", service.name()).build());
      }
      return CompletableFuture.completedFuture(Optional.of(query.build()));
    }
  }
}

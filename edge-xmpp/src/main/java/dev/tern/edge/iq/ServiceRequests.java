package dev.tern.edge.iq;

import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The IQs addressed to a {@link HostedService}: disco about it (XEP-0030) answered here. */
final class ServiceRequests {

  static final String INFO = "http://jabber.org/protocol/disco#info";
  static final String ITEMS = "http://jabber.org/protocol/disco#items";

  private ServiceRequests() {}

  static CompletionStage<Optional<XmlElement>> answer(HostedService service, IqRequest request) {
    String ns = request.payload().namespace();
    boolean query = request.payload().name().equals("query");
    if (query && (ns.equals(INFO) || ns.equals(ITEMS))) {
      if (!request.type().equals("get")) {
        throw new IqError(StanzaErrorCondition.BAD_REQUEST, "disco is asked with get");
      }
      if (request.payload().attribute("node").isPresent()) {
        throw new IqError(StanzaErrorCondition.ITEM_NOT_FOUND, "no such node");
      }
      return CompletableFuture.completedFuture(Optional.of(ns.equals(INFO) ? info(service)
          : XmlElement.builder("query", ITEMS).build()));
    }
    return service.handle(request);
  }

  /** XEP-0030 §3.1: the service's identity and features. */
  private static XmlElement info(HostedService service) {
    XmlElement.Builder query = XmlElement.builder("query", INFO);
    query.child(XmlElement.builder("identity", INFO)
        .attribute("category", service.identity().category())
        .attribute("type", service.identity().type())
        .attribute("name", service.name()).build());
    TreeSet<String> features = new TreeSet<>(service.features());
    features.add(INFO);
    features.forEach(f -> query.child(XmlElement.builder("feature", INFO).attribute("var", f).build()));
    return query.build();
  }
}

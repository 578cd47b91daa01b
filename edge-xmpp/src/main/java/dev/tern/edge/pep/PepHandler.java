package dev.tern.edge.pep;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.disco.DiscoNodes;
import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRegistration.Addressing;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * XEP-0060 IQs to a PEP service (XEP-0163 §3): to the sender's own bare JID (or without
 * {@code to}) its own service, to another user's bare JID that user's. The edge reads nothing of
 * XEP-0060: it hands the {@code <pubsub/>} element (or a disco#info query of a node) to a
 * router, which checks who may do what.
 */
public final class PepHandler implements IqHandler, DiscoNodes {

  public static final String PUBSUB = "http://jabber.org/protocol/pubsub";
  public static final String OWNER = "http://jabber.org/protocol/pubsub#owner";
  static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
  static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";

  /** What the account's service does (XEP-0060 §10), advertised on the account's disco#info. */
  static final List<String> FEATURES = List.of(PUBSUB,
      PUBSUB + "#access-open", PUBSUB + "#access-presence", PUBSUB + "#access-whitelist",
      PUBSUB + "#auto-create", PUBSUB + "#auto-subscribe", PUBSUB + "#config-node", PUBSUB + "#create-and-configure",
      PUBSUB + "#create-nodes", PUBSUB + "#delete-nodes", PUBSUB + "#filtered-notifications",
      PUBSUB + "#item-ids", PUBSUB + "#last-published", PUBSUB + "#multi-items",
      PUBSUB + "#persistent-items", PUBSUB + "#presence-notifications", PUBSUB + "#publish",
      PUBSUB + "#purge-nodes",
      PUBSUB + "#publish-options", PUBSUB + "#retract-items", PUBSUB + "#retrieve-items");

  private final PepClient client;
  private final IqRegistration registration;

  private PepHandler(PepClient client, IqRegistration registration) {
    this.client = requireNonNull(client, "client");
    this.registration = registration;
  }

  /**
   * The handlers of a PEP service: XEP-0060's {@code pubsub} and {@code pubsub#owner} to the own
   * account (which advertise PEP, XEP-0163 §5), and {@code pubsub} to other users.
   */
  public static List<IqHandler> all(PepClient client) {
    return List.of(
        new PepHandler(client, new IqRegistration(Set.of("get", "set"), "pubsub", PUBSUB,
            Addressing.OWN_ACCOUNT, false, FEATURES,
            List.of(new IqRegistration.Identity("pubsub", "pep")))),
        new PepHandler(client, new IqRegistration(Set.of("get", "set"), "pubsub", OWNER,
            Addressing.OWN_ACCOUNT, false, List.of())),
        new PepHandler(client, new IqRegistration(Set.of("get", "set"), "pubsub", PUBSUB,
            Addressing.OTHER_USER, false, List.of())),
        // XEP-0060 §5.2: the nodes of the account's service, as far as the requester may read
        new PepHandler(client, new IqRegistration(Set.of("get"), "query", DISCO_ITEMS,
            Addressing.OWN_ACCOUNT, false, List.of(DISCO_ITEMS))),
        new PepHandler(client, new IqRegistration(Set.of("get"), "query", DISCO_ITEMS,
            Addressing.OTHER_USER, false, List.of())),
        new OthersInfo(client));
  }

  /**
   * XEP-0060 §5.3 through XEP-0030 §3.2: disco#info of a node, which clients ask before reading
   * it (Smack's {@code PubSubManager.getLeafNode}); the router answers {@code pubsub/leaf} if the
   * node exists and the requester may read it.
   */
  @Override
  public CompletionStage<Optional<XmlElement>> nodeInfo(IqRequest request) {
    return handle(request);
  }

  /**
   * disco#info to another user's bare JID: the server answers for the account (XEP-0030 §3.1,
   * RFC 6121 §8.5.2.1.3), an account with a PEP service; a node's info comes from a router.
   */
  static final class OthersInfo implements IqHandler {
    private final PepClient client;

    OthersInfo(PepClient client) {
      this.client = client;
    }

    @Override
    public IqRegistration registration() {
      return new IqRegistration(Set.of("get"), "query", DISCO_INFO, Addressing.OTHER_USER, false,
          List.of());
    }

    @Override
    public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
      if (request.payload().attribute("node").isPresent()) {
        return new PepHandler(client, registration()).handle(request);
      }
      XmlElement.Builder query = XmlElement.builder("query", DISCO_INFO)
          .child(XmlElement.builder("identity", DISCO_INFO).attribute("category", "account")
              .attribute("type", "registered").build())
          .child(XmlElement.builder("identity", DISCO_INFO).attribute("category", "pubsub")
              .attribute("type", "pep").build())
          .child(XmlElement.builder("feature", DISCO_INFO).attribute("var", DISCO_INFO).build());
      return CompletableFuture.completedFuture(Optional.of(query.build()));
    }
  }

  @Override
  public IqRegistration registration() {
    return registration;
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    Jid sender = request.sender().orElseThrow(
        () -> new IqError(StanzaErrorCondition.NOT_AUTHORIZED, "bind a resource first"));
    Jid owner = sender.bare();
    if (registration.addressing() == Addressing.OTHER_USER) {
      try {
        owner = Jid.parse(request.iq().attribute("to").orElseThrow()).bare();
      } catch (JidMalformedException e) {
        throw new IqError(StanzaErrorCondition.JID_MALFORMED, "");
      }
    }
    return client.request(sender.toString(), owner.toString(), request.type(),
        request.payload());
  }
}
